using FeedbackHub.Data.Campaigns;
using FeedbackHub.Web.Features.Campaigns;

namespace FeedbackHub.Web.Tests;

/// <summary>Which orders qualify, who is excluded, and how terms read: the rules without a database.</summary>
public sealed class CampaignRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(QualifyingOrders.FirstOrder, null, new[] { 1 })]
    [InlineData(QualifyingOrders.EveryOrder, null, new[] { 1, 2, 3, 4, 5, 6 })]
    [InlineData(QualifyingOrders.EveryNthOrder, 3, new[] { 3, 6 })]
    [InlineData(QualifyingOrders.EveryNthOrder, 2, new[] { 2, 4, 6 })]
    public void Qualifies_PicksTheRightOrdersOfAHistory(QualifyingOrders rule, int? n, int[] expected)
    {
        var campaign = Campaign(c => (c.Qualifying, c.EveryNth) = (rule, n));

        var qualifying = Enumerable.Range(1, 6).Where(ordinal => ThankYouRules.Qualifies(campaign, new OrderHistory(ordinal, 0)));

        Assert.Equal(expected, qualifying);
    }

    [Fact]
    public void Runs_OnlyWhileActive_AndBetweenStartAndEnd()
    {
        var campaign = Campaign(c => (c.StartsAt, c.EndsAt) = (Start, Start.AddDays(10)));

        Assert.False(ThankYouRules.Runs(campaign, Start.AddTicks(-1)));
        Assert.True(ThankYouRules.Runs(campaign, Start));
        Assert.True(ThankYouRules.Runs(campaign, Start.AddDays(10).AddTicks(-1)));
        Assert.False(ThankYouRules.Runs(campaign, Start.AddDays(10)));
        campaign.Status = CampaignStatus.Paused;
        Assert.False(ThankYouRules.Runs(campaign, Start.AddDays(1)));
    }

    [Theory]
    [InlineData(false, 0, 0, null)]
    [InlineData(true, 0, 0, ExclusionRule.FlaggedBySupport)]
    [InlineData(false, 4, 2, null)]
    [InlineData(false, 4, 3, ExclusionRule.DiscountDependent)]
    [InlineData(false, 1, 0, null)]
    public void Exclude_FlaggedOrDiscountDependentAboveTheThreshold(bool flagged, int earlier, int withDiscount, ExclusionRule? expected)
    {
        var campaign = Campaign(c => c.ExcludeDiscountShareAbove = 0.5m);

        var exclusion = ThankYouRules.Exclude(campaign, flagged, new OrderHistory(earlier + 1, withDiscount));

        Assert.Equal(expected, exclusion?.Rule);
    }

    [Fact]
    public void Exclude_RulesSwitchedOff_ExcludeNobody()
    {
        var campaign = Campaign(c => (c.ExcludeFlaggedCustomers, c.ExcludeDiscountShareAbove) = (false, null));

        Assert.Null(ThankYouRules.Exclude(campaign, flaggedBySupport: true, new OrderHistory(5, 4)));
    }

    [Theory]
    [InlineData(DiscountKind.Percentage, 12.5, "en", "12.5%")]
    [InlineData(DiscountKind.Amount, 5, "en", "€5.00")]
    [InlineData(DiscountKind.Amount, 1234.5, "nl", "€ 1.234,50")]
    public void FormatDiscount_ReadsNaturallyPerLanguage(DiscountKind kind, decimal value, string language, string expected) =>
        Assert.Equal(expected, ThankYouRules.FormatDiscount(kind, value, "EUR", language));

    [Fact]
    public void CodeExpiry_IsTheEndOfTheLastValidDay_InTheCustomersZone()
    {
        // 23:30 in Amsterdam on 1 November is still 1 November there: 30 days later is 1 December, valid all that day.
        var issued = new DateTimeOffset(2026, 11, 1, 22, 30, 0, TimeSpan.Zero);

        var amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

        var expiry = ThankYouIssuer.CodeExpiry(issued, 30, amsterdam);

        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.FromHours(1)), expiry);
        Assert.Equal("1 december 2026", ThankYouRules.FormatDate(expiry.AddTicks(-1), amsterdam, "nl"));
    }

    [Fact]
    public void Validate_NamesEveryProblemByField()
    {
        var input = new CampaignInput
        {
            Name = " ", CodePrefix = "THO", DiscountValue = 95, Currency = "eur", ValidityDays = 0, Qualifying = QualifyingOrders.EveryNthOrder,
            HoldoutShare = 0.6m, ExcludeDiscountShareAbove = 1, StartsAt = Start, EndsAt = Start,
            Variants = [new() { Name = "A", Weight = 0 }, new() { Name = "a", DiscountKind = DiscountKind.Amount, IntroEnglish = "Hi {nonsense}" }],
        };

        var errors = input.Validate();

        Assert.Equal(
            ["codePrefix", "currency", "discountValue", "endsAt", "everyNth", "excludeDiscountShareAbove", "holdoutShare", "name", "validityDays",
             "variants", "variants[0].weight", "variants[1].discountValue", "variants[1].introEnglish"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_ASensibleCampaign_HasNoProblems()
    {
        var input = new CampaignInput { Name = "Thanks", DiscountValue = 10, StartsAt = Start };

        Assert.Empty(input.Validate());
    }

    private static Campaign Campaign(Action<Campaign> change)
    {
        var campaign = new Campaign { Name = "Test", Status = CampaignStatus.Active, StartsAt = Start, DiscountValue = 10 };
        change(campaign);
        return campaign;
    }
}
