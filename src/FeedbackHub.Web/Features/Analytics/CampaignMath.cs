using System.Text.Json.Serialization;
using FeedbackHub.Data.Campaigns;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>
/// One group's repeat purchases within <paramref name="Days"/> days of each customer's anchor order
/// (see <see cref="CampaignReport"/> for the anchor). Counts and sums are exact; rates are one decimal.
/// </summary>
/// <param name="Days">The window: 30, 60 or 90 days, each day 24 hours from the moment of the anchor order.</param>
/// <param name="Matured">
/// Customers whose anchor order lies at least <paramref name="Days"/> days before the report's moment: only
/// they have had the whole window to buy again, so only they are counted in this window.
/// </param>
/// <param name="Repeaters">Matured customers with another order after the anchor order and at most <paramref name="Days"/> days after it.</param>
/// <param name="Revenue">The totals of those repeat orders (not the anchor order) in the campaign's currency, rounded to cents.</param>
/// <param name="DiscountCost">What the group's thank-you codes took off the repeat orders they were redeemed on, rounded to cents; 0 for the hold-out.</param>
/// <param name="VersusHoldout">This group against the hold-out in the same window; null for the hold-out itself.</param>
public sealed record RepeatWindow(int Days, int Matured, int Repeaters, decimal Revenue, decimal DiscountCost, HoldoutComparison? VersusHoldout = null)
{
    /// <summary>Repeaters ÷ matured × 100; null while no customer has matured.</summary>
    public decimal? RepeatRate => Percentages.Of(Repeaters, Matured);

    /// <summary>Revenue ÷ matured, rounded to cents.</summary>
    public decimal? RevenuePerCustomer => Matured == 0 ? null : CampaignMoney.Cents(Revenue / Matured);

    internal RepeatWindow Plus(RepeatWindow other) =>
        new(Days, Matured + other.Matured, Repeaters + other.Repeaters, Revenue + other.Revenue, DiscountCost + other.DiscountCost);
}

/// <summary>
/// A treated group against the hold-out in one window, from the two groups' <see cref="RepeatWindow"/>s
/// (T = treated, H = hold-out, n = matured, r = repeaters, R = revenue, D = the treated group's discount cost):
/// <list type="bullet">
/// <item>uplift = r_T ÷ n_T − r_H ÷ n_H, in percentage points, with its 95 % interval (<see cref="Analytics.Uplift.Between"/>);</item>
/// <item>incremental repeaters = (r_T ÷ n_T − r_H ÷ n_H) × n_T, the repeat customers the codes added;</item>
/// <item>incremental revenue = (R_T ÷ n_T − R_H ÷ n_H) × n_T, the revenue the codes added;</item>
/// <item>incremental margin = incremental revenue (as shown, in cents) × gross margin % − D;</item>
/// <item>cost per retained customer = D ÷ incremental repeaters; none when the codes added no repeat customers.</item>
/// </list>
/// Money is rounded to cents, half away from zero, once at the end of each figure. Every figure is null
/// while either group has no matured customer.
/// </summary>
public sealed record HoldoutComparison(
    [property: JsonIgnore] Uplift? Uplift,
    decimal? IncrementalRepeaters,
    decimal? IncrementalRevenue,
    decimal? IncrementalMargin,
    decimal? CostPerRetainedCustomer)
{
    public const string NothingToCompare = "no matured customers in both groups yet";

    /// <summary>The uplift in percentage points, one decimal.</summary>
    public decimal? UpliftPoints => OneDecimal(Uplift?.Points);

    /// <summary>The lower end of the 95 % interval, one decimal.</summary>
    public decimal? UpliftLow => OneDecimal(Uplift?.Low);

    /// <summary>The upper end of the 95 % interval, one decimal.</summary>
    public decimal? UpliftHigh => OneDecimal(Uplift?.High);

    /// <summary>True once the interval no longer contains zero.</summary>
    public bool Significant => Uplift?.Significant ?? false;

    /// <summary>"+5.0 points (95 % interval 1.2 to 8.8)", ending in ", not significant yet" while the interval spans zero.</summary>
    public string Verdict => Uplift?.Describe() ?? NothingToCompare;

    public static HoldoutComparison Of(RepeatWindow treated, RepeatWindow holdout, decimal grossMarginPercent)
    {
        ArgumentNullException.ThrowIfNull(treated);
        ArgumentNullException.ThrowIfNull(holdout);
        if (Analytics.Uplift.Between(treated.Matured, treated.Repeaters, holdout.Matured, holdout.Repeaters) is not { } uplift)
        {
            return new(null, null, null, null, null);
        }

        // What the treated group would have done at the hold-out's rates, multiplied before dividing to stay exact.
        var expectedRepeaters = (decimal)holdout.Repeaters * treated.Matured / holdout.Matured;
        var expectedRevenue = holdout.Revenue * treated.Matured / holdout.Matured;
        var incrementalRepeaters = treated.Repeaters - expectedRepeaters;
        var incrementalRevenue = CampaignMoney.Cents(treated.Revenue - expectedRevenue);
        return new(
            uplift,
            Math.Round(incrementalRepeaters, 1, MidpointRounding.AwayFromZero),
            incrementalRevenue,
            CampaignMoney.Cents(incrementalRevenue * grossMarginPercent / 100m - treated.DiscountCost),
            incrementalRepeaters > 0 ? CampaignMoney.Cents(treated.DiscountCost / incrementalRepeaters) : null);
    }

    private static decimal? OneDecimal(double? value) => value is { } v ? Math.Round((decimal)v, 1, MidpointRounding.AwayFromZero) : null;
}

/// <summary>
/// A variant, the hold-out, or all variants together, in one campaign: the customers whose anchor order
/// falls in the period and who pass the filter.
/// </summary>
/// <param name="VariantId">Null for the hold-out and for all variants together.</param>
/// <param name="Name">The variant's name, <see cref="HoldoutName"/> or <see cref="AllVariantsName"/>.</param>
/// <param name="IsHoldout">True for the hold-out group.</param>
/// <param name="Customers">Customers in the group whose anchor order falls in the period.</param>
/// <param name="CodesIssued">Customers the campaign's thank-you gave a code (one code per customer and campaign); 0 for the hold-out.</param>
/// <param name="CodesRedeemed">Of those codes, the ones used so far.</param>
/// <param name="Windows">30, 60 and 90 days.</param>
public sealed record CampaignGroup(long? VariantId, string Name, bool IsHoldout, int Customers, int CodesIssued, int CodesRedeemed, IReadOnlyList<RepeatWindow> Windows)
{
    public const string HoldoutName = "Hold-out";

    public const string AllVariantsName = "All variants";

    /// <summary>Redeemed ÷ issued × 100; null when no code was issued.</summary>
    public decimal? RedemptionRate => Percentages.Of(CodesRedeemed, CodesIssued);

    /// <summary>This group with each window compared with the hold-out's.</summary>
    internal CampaignGroup Versus(CampaignGroup holdout, decimal grossMarginPercent) => this with
    {
        Windows = [.. Windows.Zip(holdout.Windows, (mine, theirs) => mine with { VersusHoldout = HoldoutComparison.Of(mine, theirs, grossMarginPercent) })],
    };

    internal CampaignGroup Plus(CampaignGroup other) => this with
    {
        Customers = Customers + other.Customers,
        CodesIssued = CodesIssued + other.CodesIssued,
        CodesRedeemed = CodesRedeemed + other.CodesRedeemed,
        Windows = [.. Windows.Zip(other.Windows, (mine, theirs) => mine.Plus(theirs))],
    };
}

/// <summary>A campaign's headline figures: all its variants together against its hold-out.</summary>
public sealed record CampaignSummary(long Id, string Name, CampaignStatus Status, string Currency, CampaignGroup AllVariants, CampaignGroup Holdout);

/// <summary>Every campaign's headline figures, with what they were computed from.</summary>
/// <param name="Period">Customers count when their anchor order falls in it.</param>
/// <param name="AsOf">The moment "matured" was measured from.</param>
/// <param name="GrossMarginPercent">The setting <c>Analytics:GrossMarginPercent</c> the incremental margins used.</param>
/// <param name="Campaigns">Every campaign, by name.</param>
public sealed record CampaignOverview(PeriodView Period, DateTimeOffset AsOf, decimal GrossMarginPercent, IReadOnlyList<CampaignSummary> Campaigns);

/// <summary>One campaign's table: its headline figures and each variant against the hold-out.</summary>
/// <param name="Period">Customers count when their anchor order falls in it.</param>
/// <param name="AsOf">The moment "matured" was measured from.</param>
/// <param name="GrossMarginPercent">The setting <c>Analytics:GrossMarginPercent</c> the incremental margins used.</param>
/// <param name="Campaign">All variants together and the hold-out.</param>
/// <param name="Variants">Each variant (in the order they were created) against the hold-out.</param>
public sealed record CampaignDetail(PeriodView Period, DateTimeOffset AsOf, decimal GrossMarginPercent, CampaignSummary Campaign, IReadOnlyList<CampaignGroup> Variants);

/// <summary>Money in the campaign figures: cents, half away from zero, as a shop's books round.</summary>
public static class CampaignMoney
{
    public static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
