namespace FeedbackHub.Data.Analytics;

/// <summary>
/// What one customer did after a thank-you campaign put them in a group: the campaign report's summary,
/// one row per campaign and customer, so the report adds these rows up instead of looking up every
/// customer's later orders. Kept by <c>ReportSummaries</c> from the customers that <see cref="SummaryChange"/>
/// lists. The windows are counted whether or not they have passed yet; the report counts a window only
/// once it has (a customer "matures" N days after the anchor).
/// </summary>
public sealed class CampaignOutcome
{
    public long CampaignId { get; set; }

    public long CustomerId { get; set; }

    /// <summary>The customer's group: a variant, or null for the hold-out.</summary>
    public long? VariantId { get; set; }

    /// <summary>When the anchor order was placed: the customer's first order the campaign decided on other than "excluded".</summary>
    public DateTimeOffset AnchorAt { get; set; }

    public bool CodeIssued { get; set; }

    public bool CodeRedeemed { get; set; }

    /// <summary>Another order within 30 days (30 × 24 hours) after the anchor.</summary>
    public bool Repeated30 { get; set; }

    /// <summary>Those orders' totals in the campaign's currency, in ten-thousandths.</summary>
    public long Revenue30 { get; set; }

    /// <summary>What the thank-you code took off the order it was redeemed on, when that order is in the window, in ten-thousandths.</summary>
    public long Discount30 { get; set; }

    public bool Repeated60 { get; set; }

    public long Revenue60 { get; set; }

    public long Discount60 { get; set; }

    public bool Repeated90 { get; set; }

    public long Revenue90 { get; set; }

    public long Discount90 { get; set; }
}

/// <summary>
/// A churn as the churn reasons dashboard counts it: its moment, its effective reason, and its revenue
/// before it for "revenue lost by reason" (the totals of the customer's orders in the year before the
/// churn, in ten-thousandths, and the started months of that year they were a customer). Kept by
/// <c>ReportSummaries</c> like <see cref="CampaignOutcome"/>.
/// </summary>
public sealed class LostRevenue
{
    public long ChurnEventId { get; set; }

    public long CustomerId { get; set; }

    public DateTimeOffset ChurnedAt { get; set; }

    /// <summary>The answer's effective reason (staff label, else prediction, else the choice), else "unknown" without an answer.</summary>
    public required string Reason { get; set; }

    public long Revenue { get; set; }

    public int Months { get; set; }
}

/// <summary>
/// A customer's orders over their whole history and how many carried a discount code: what the campaigns'
/// exclusion rule reads at the customer's next order, for the "not worth an offer" list. Kept by
/// <c>ReportSummaries</c> like <see cref="CampaignOutcome"/>; customers without orders have no row.
/// </summary>
public sealed class DiscountHistory
{
    public long CustomerId { get; set; }

    public int Orders { get; set; }

    public int WithDiscount { get; set; }
}
