using FeedbackHub.Data;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Subscriptions;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static FeedbackHub.Web.Tests.CampaignReportData;

namespace FeedbackHub.Web.Tests;

/// <summary>Campaign figures counted in the database on a handful of customers worked out by hand, on both databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CampaignReportTests(PostgresServer postgres)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    private static readonly ReportPeriod October = ReportPeriod.Month(2026, 10, Amsterdam);

    /// <summary>90 days before it is 7 October 12:00 UTC: anchors after that have not matured for the 90-day window.</summary>
    private static readonly DateTimeOffset Now = new(2027, 1, 5, 12, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Campaign_October_CountsEachGroupAsWorkedOutByHand(DatabaseProvider provider)
    {
        var detail = await AutumnAsync(provider, October);

        Assert.Equal((Now, 40m, "2026-10"), (detail.AsOf, detail.GrossMarginPercent, detail.Period.Label));
        var (a, b) = (detail.Variants[0], detail.Variants[1]);
        var (all, holdout) = (detail.Campaign.AllVariants, detail.Campaign.Holdout);
        // a1, a2 and a3; a4's anchor is 1 November in Amsterdam. One of three codes used.
        Assert.Equal(("A", 3, 3, 1, 33.3m), (a.Name, a.Customers, a.CodesIssued, a.CodesRedeemed, a.RedemptionRate));
        // a1 bought again at exactly 30 days (45.00 with 10 % off: 45 × 10 ÷ 90 = 5.00 discount), a2 at 31 days (20.00);
        // a3's anchor (10 October) is less than 90 days ago, so a3 leaves the 90-day window.
        Assert.Equal([(30, 3, 1, 45.00m, 5.00m), (60, 3, 2, 65.00m, 5.00m), (90, 2, 2, 65.00m, 5.00m)], Counts(a));
        Assert.Equal([33.3m, 66.7m, 100.0m], a.Windows.Select(w => w.RepeatRate));
        // b1 bought again after 10 days for 32.505, which is 32.51 in cents, with the €7.50 code.
        Assert.Equal(("B", 1, 1, 1, 100.0m), (b.Name, b.Customers, b.CodesIssued, b.CodesRedeemed, b.RedemptionRate));
        Assert.Equal([(30, 1, 1, 32.51m, 7.50m), (60, 1, 1, 32.51m, 7.50m), (90, 1, 1, 32.51m, 7.50m)], Counts(b));
        // h1 (20 days, 30.00 EUR; the USD order after 25 days is a repeat without revenue), h2 and h3 (00:30 on 1 October in Amsterdam).
        Assert.Equal((CampaignGroup.HoldoutName, true, 3, 0, 0, (decimal?)null), (holdout.Name, holdout.IsHoldout, holdout.Customers, holdout.CodesIssued, holdout.CodesRedeemed, holdout.RedemptionRate));
        Assert.Equal([(30, 3, 1, 30.00m, 0m), (60, 3, 1, 30.00m, 0m), (90, 3, 1, 30.00m, 0m)], Counts(holdout));
        Assert.All(holdout.Windows, w => Assert.Null(w.VersusHoldout));
        Assert.Equal((4, 4, 2, 50.0m), (all.Customers, all.CodesIssued, all.CodesRedeemed, all.RedemptionRate));
        Assert.Equal([(30, 4, 2, 77.51m, 12.50m), (60, 4, 3, 97.51m, 12.50m), (90, 3, 3, 97.51m, 12.50m)], Counts(all));

        // A in 30 days: 1 of 3 against 1 of 3. Revenue 45.00 − 30.00 × 3 ÷ 3 = 15.00; margin 15.00 × 40 % − 5.00 = 1.00; no extra repeaters, so no cost per one.
        var a30 = a.Windows[0].VersusHoldout!;
        Assert.Equal((0.0m, false, 0.0m, 15.00m, 1.00m, (decimal?)null), (a30.UpliftPoints, a30.Significant, a30.IncrementalRepeaters, a30.IncrementalRevenue, a30.IncrementalMargin, a30.CostPerRetainedCustomer));
        Assert.EndsWith("not significant yet", a30.Verdict, StringComparison.Ordinal);
        // A in 60 days: 2 − 1 × 3 ÷ 3 = 1 extra repeater for 5.00; revenue 65.00 − 30.00 = 35.00; margin 14.00 − 5.00 = 9.00.
        var a60 = a.Windows[1].VersusHoldout!;
        Assert.Equal((1.0m, 35.00m, 9.00m, 5.00m), (a60.IncrementalRepeaters, a60.IncrementalRevenue, a60.IncrementalMargin, a60.CostPerRetainedCustomer));
        // A in 90 days, 2 matured: 2 − 1 × 2 ÷ 3 = 1.33 extra repeaters, 5.00 ÷ 1.333… = 3.75 each; revenue 65.00 − 30.00 × 2 ÷ 3 = 45.00; margin 18.00 − 5.00 = 13.00.
        var a90 = a.Windows[2].VersusHoldout!;
        Assert.Equal((1.3m, 45.00m, 13.00m, 3.75m), (a90.IncrementalRepeaters, a90.IncrementalRevenue, a90.IncrementalMargin, a90.CostPerRetainedCustomer));
        Assert.Equal(Uplift.Between(2, 2, 3, 1), a90.Uplift);
        // All variants in 30 days: 77.51 − 30.00 × 4 ÷ 3 = 37.51; 37.51 × 40 % − 12.50 = 2.504 → 2.50; 2 − 4 ÷ 3 = 0.67 extra repeaters at 12.50 ÷ 0.667 = 18.75.
        var all30 = all.Windows[0].VersusHoldout!;
        Assert.Equal((0.7m, 37.51m, 2.50m, 18.75m), (all30.IncrementalRepeaters, all30.IncrementalRevenue, all30.IncrementalMargin, all30.CostPerRetainedCustomer));
        Assert.Equal(Uplift.Between(4, 2, 3, 1), all30.Uplift);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Campaigns_ListEveryCampaign_EachWithItsOwnCustomers(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await SeedAsync(database);
        await using var context = database.CreateContext();

        var overview = await Report(context, database).CampaignsAsync(October, CustomerFilter.All, CancellationToken.None);

        Assert.Equal(["Autumn", "Spring"], overview.Campaigns.Select(c => c.Name));
        var autumn = overview.Campaigns[0];
        Assert.Equal((CampaignStatus.Active, "EUR", 4, 3), (autumn.Status, autumn.Currency, autumn.AllVariants.Customers, autumn.Holdout.Customers));
        Assert.Equal(37.51m, autumn.AllVariants.Windows[0].VersusHoldout!.IncrementalRevenue);
        // Spring has only s1, in its hold-out, anchored on 31 October: matured for 30 and 60 days, not for 90.
        var spring = overview.Campaigns[1];
        Assert.Equal((0, 1), (spring.AllVariants.Customers, spring.Holdout.Customers));
        Assert.Equal([(30, 1, 0, 0m, 0m), (60, 1, 0, 0m, 0m), (90, 0, 0, 0m, 0m)], Counts(spring.Holdout));
        Assert.Equal(HoldoutComparison.NothingToCompare, spring.AllVariants.Windows[0].VersusHoldout!.Verdict);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Campaign_WithFilters_CountsOnlyTheFilteredCustomers(DatabaseProvider provider)
    {
        var dutch = await AutumnAsync(provider, October, new CustomerFilter(Language: "nl"));
        var subscribers = await AutumnAsync(provider, October, new CustomerFilter(Segment: CustomerSegment.Subscribers));

        // a2 and h2 speak Dutch: a2 bought again after 31 days, h2 never.
        Assert.Equal((1, 0, 1), (dutch.Variants[0].Customers, dutch.Variants[1].Customers, dutch.Campaign.Holdout.Customers));
        Assert.Equal([(30, 1, 0, 0m, 0m), (60, 1, 1, 20.00m, 0m), (90, 1, 1, 20.00m, 0m)], Counts(dutch.Variants[0]));
        Assert.Equal(20.00m, dutch.Variants[0].Windows[1].VersusHoldout!.IncrementalRevenue);
        // h2 is the only subscriber.
        Assert.Equal((0, 1), (subscribers.Campaign.AllVariants.Customers, subscribers.Campaign.Holdout.Customers));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Campaign_InAPeriodWithoutAnchors_IsZerosAndNoRates(DatabaseProvider provider)
    {
        var august = await AutumnAsync(provider, ReportPeriod.Month(2026, 8, Amsterdam));

        Assert.All([.. august.Variants, august.Campaign.AllVariants, august.Campaign.Holdout], group =>
        {
            Assert.Equal((0, 0, 0, (decimal?)null), (group.Customers, group.CodesIssued, group.CodesRedeemed, group.RedemptionRate));
            Assert.All(group.Windows, w => Assert.Equal((0, 0, 0m, 0m, (decimal?)null), (w.Matured, w.Repeaters, w.Revenue, w.DiscountCost, w.RepeatRate)));
        });
        var comparison = august.Campaign.AllVariants.Windows[0].VersusHoldout!;
        Assert.Equal(((Uplift?)null, (decimal?)null, (decimal?)null, false), (comparison.Uplift, comparison.IncrementalRevenue, comparison.IncrementalMargin, comparison.Significant));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Campaign_CountsACustomerInTheMonthOfTheirFirstDecision_NotOfALaterOne(DatabaseProvider provider)
    {
        var september = await AutumnAsync(provider, ReportPeriod.Month(2026, 9, Amsterdam));

        // Only e1 (anchored 20 September, decided again on 5 October, which is a repeat after 15 days): not a3, whose
        // 25 September order was excluded, nor h3, whose 22:30 UTC on 30 September is 1 October in Amsterdam.
        Assert.Equal((1, 0, 0), (september.Variants[0].Customers, september.Variants[1].Customers, september.Campaign.Holdout.Customers));
        Assert.Equal([(30, 1, 1, 30.00m, 0m), (60, 1, 1, 30.00m, 0m), (90, 1, 1, 30.00m, 0m)], Counts(september.Variants[0]));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Campaign_November_HasTheAnchorOfHalfPastMidnightOnTheFirst(DatabaseProvider provider)
    {
        var november = await AutumnAsync(provider, ReportPeriod.Month(2026, 11, Amsterdam));

        // a4 (23:30 UTC on 31 October): 30 and 60 days have passed by 5 January, 90 have not.
        Assert.Equal([(30, 1, 0, 0m, 0m), (60, 1, 0, 0m, 0m), (90, 0, 0, 0m, 0m)], Counts(november.Variants[0]));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task RepeatWindow_AcrossTheClockChange_Is30Times24Hours_WhateverTheSessionZone(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        long campaignId;
        await using (var db = database.CreateContext())
        {
            var campaign = await CampaignAsync(db, "Clock", new CampaignVariant { Name = "A" });
            campaignId = campaign.Id;
            // Clocks went back on 25 October: in Amsterdam's calendar 30 days later is 30 × 24 + 1 hours later.
            await InGroupAsync(db, campaign, campaign.Variants[0], "late", new(2026, 10, 10, 10, 0, 0, TimeSpan.Zero), repeats: new Repeat(30 * Day + TimeSpan.FromMinutes(30), 25m));
            await InGroupAsync(db, campaign, campaign.Variants[0], "in-time", new(2026, 10, 10, 10, 0, 0, TimeSpan.Zero), repeats: new Repeat(30 * Day, 25m));
        }

        // PostgreSQL does calendar arithmetic on intervals in the session's time zone; the shop's zone is the one that would bite.
        var settings = provider == DatabaseProvider.Postgres ? database.Settings with { ConnectionString = database.Settings.ConnectionString + ";Timezone=Europe/Amsterdam" } : database.Settings;
        var options = new DbContextOptionsBuilder<AppDbContext>();
        settings.Configure(options);
        await using var context = new AppDbContext(options.Options);

        var detail = (await Report(context, database).CampaignAsync(campaignId, October, CustomerFilter.All, CancellationToken.None))!;

        Assert.Equal((30, 2, 1), (detail.Variants[0].Windows[0].Days, detail.Variants[0].Windows[0].Matured, detail.Variants[0].Windows[0].Repeaters));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Campaign_FollowsOrdersCodesDecisionsAndCurrency_ChangedAfterItWasCounted(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using var db = database.CreateContext();
        var campaign = await CampaignAsync(db, "Follow", new CampaignVariant { Name = "A" });
        var anchorAt = new DateTimeOffset(2026, 10, 10, 10, 0, 0, TimeSpan.Zero);
        var customer = await InGroupAsync(db, campaign, campaign.Variants[0], "f1", anchorAt);
        async Task<(int Customers, int Redeemed, int Repeaters, decimal Revenue, decimal Discount, int Holdout)> ReadAsync()
        {
            await using var context = database.CreateContext();
            var detail = (await Report(context, database).CampaignAsync(campaign.Id, October, CustomerFilter.All, CancellationToken.None))!;
            var (a, a30) = (detail.Variants[0], detail.Variants[0].Windows[0]);
            return (a.Customers, a.CodesRedeemed, a30.Repeaters, a30.Revenue, a30.DiscountCost, detail.Campaign.Holdout.Customers);
        }

        Assert.Equal((1, 0, 0, 0m, 0m, 0), await ReadAsync());

        // Five days later f1 orders 45.00 with the 10 % code (5.00 off), and a hold-out customer arrives.
        var repeat = db.Orders.Add(new() { ExternalId = "f1-repeat", Customer = customer, PlacedAt = anchorAt.AddDays(5), Total = 45m, Currency = "EUR", CreatedAt = anchorAt, UpdatedAt = anchorAt }).Entity;
        await db.SaveChangesAsync();
        var code = await db.DiscountCodes.SingleAsync(c => c.CustomerId == customer.Id);
        (code.RedeemedAt, code.RedeemedOrderExternalId) = (repeat.PlacedAt, repeat.ExternalId);
        await db.SaveChangesAsync();
        await InGroupAsync(db, campaign, null, "h1", anchorAt.AddDays(1));
        Assert.Equal((1, 1, 1, 45.00m, 5.00m, 1), await ReadAsync());

        // The campaign now counts dollars: the euro order is still a repeat, without revenue.
        campaign.Currency = "USD";
        await db.SaveChangesAsync();
        Assert.Equal((1, 1, 1, 0m, 0m, 1), await ReadAsync());

        // The repeat order is deleted (the code stays used: redemption is the shop's record).
        db.Orders.Remove(repeat);
        await db.SaveChangesAsync();
        Assert.Equal((1, 1, 0, 0m, 0m, 1), await ReadAsync());
        Assert.Empty(db.SummaryChanges);
    }

    /// <summary>Campaign Autumn's table for a period, on a database of its own seeded with <see cref="SeedAsync"/>.</summary>
    private async Task<CampaignDetail> AutumnAsync(DatabaseProvider provider, ReportPeriod period, CustomerFilter? filter = null)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        var campaignId = await SeedAsync(database);
        await using var context = database.CreateContext();
        return (await Report(context, database).CampaignAsync(campaignId, period, filter ?? CustomerFilter.All, CancellationToken.None))!;
    }

    private static CampaignReport Report(AppDbContext context, TestDatabase database, decimal grossMarginPercent = 40m) =>
        new(context, TestReports.Summaries(context, database), new FakeTimeProvider(Now), Options.Create(new AnalyticsOptions { GrossMarginPercent = grossMarginPercent }));

    private static List<(int Days, int Matured, int Repeaters, decimal Revenue, decimal DiscountCost)> Counts(CampaignGroup group) =>
        [.. group.Windows.Select(w => (w.Days, w.Matured, w.Repeaters, w.Revenue, w.DiscountCost))];

    /// <summary>The customers of the tests above: campaign Autumn (10 % off; variant B €7.50 off) and Spring; returns Autumn's id.</summary>
    private static async Task<long> SeedAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var autumn = await CampaignAsync(db, "Autumn", new CampaignVariant { Name = "A" }, new CampaignVariant { Name = "B", DiscountKind = DiscountKind.Amount, DiscountValue = 7.50m });
        var (a, b) = (autumn.Variants[0], autumn.Variants[1]);
        await InGroupAsync(db, autumn, a, "a1", At(10, 1), repeats: new Repeat(30 * Day, 45.00m, WithCode: true));
        await InGroupAsync(db, autumn, a, "a2", At(10, 5), "nl", new Repeat(31 * Day, 20.00m));
        var a3 = Customer(db, "a3");
        await ExcludedAsync(db, autumn, a3, At(9, 25));
        await InGroupAsync(db, autumn, a, "a3", At(10, 10));
        await InGroupAsync(db, autumn, a, "a4", new(2026, 10, 31, 23, 30, 0, TimeSpan.Zero));
        var e1 = await InGroupAsync(db, autumn, a, "e1", At(9, 20));
        await DecidedAgainAsync(db, autumn, e1, a, At(10, 5), 30.00m);
        await InGroupAsync(db, autumn, b, "b1", At(10, 3), repeats: new Repeat(10 * Day, 32.505m, WithCode: true));
        await InGroupAsync(db, autumn, null, "h1", At(10, 2), repeats: [new Repeat(20 * Day, 30.00m), new Repeat(25 * Day, 99.00m, Currency: "USD")]);
        var h2 = await InGroupAsync(db, autumn, null, "h2", At(10, 4), "nl");
        db.SubscriptionEvents.Add(new SubscriptionEvent { EventId = "h2-start", CustomerId = h2.Id, Kind = SubscriptionEventKind.Started, OccurredAt = At(10, 4), ReceivedAt = At(10, 4) });
        await InGroupAsync(db, autumn, null, "h3", new(2026, 9, 30, 22, 30, 0, TimeSpan.Zero));
        await db.SaveChangesAsync();

        var spring = await CampaignAsync(db, "Spring", new CampaignVariant { Name = "Only" });
        await InGroupAsync(db, spring, null, "s1", At(10, 31));
        return autumn.Id;
    }

    private static DateTimeOffset At(int month, int day) => new(2026, month, day, 10, 0, 0, TimeSpan.Zero);
}
