namespace FeedbackHub.Data.Analytics;

/// <summary>
/// A month in which a customer ordered, beside the month of their first order: the cohort heat map's
/// summary, one row per customer and active month, so the dashboard counts these rows instead of
/// grouping every order. Months are numbered year × 12 + month − 1 in the shop's time zone.
/// Kept by <c>ReportSummaries</c> from the customers that <see cref="SummaryChange"/> lists.
/// </summary>
public sealed class CustomerMonth
{
    public long CustomerId { get; set; }

    /// <summary>The month of the customer's first order: their cohort.</summary>
    public int FirstMonth { get; set; }

    /// <summary>A month in which the customer placed at least one order.</summary>
    public int Month { get; set; }
}

/// <summary>
/// A customer whose figures may have changed since the report summaries were last brought up to date:
/// written by triggers on the tables the summaries are computed from (orders, thank-you decisions,
/// campaign assignments, discount codes, churn events, and a campaign's currency).
/// </summary>
public sealed class SummaryChange
{
    public long Id { get; set; }

    public long CustomerId { get; set; }
}

/// <summary>
/// The first day of a month in the shop's time zone, as a moment: the summary finds an order's month
/// by the last month that starts at or before it, inside the database.
/// </summary>
public sealed class ReportMonth
{
    /// <summary>Year × 12 + month − 1.</summary>
    public int Number { get; set; }

    public DateTimeOffset StartsAt { get; set; }
}

/// <summary>Which time zone the summaries' months are in: when the shop's zone changes, they are built again.</summary>
public sealed class SummaryState
{
    /// <summary>The one state row, for all report summaries (they are built and caught up together).</summary>
    public const string Reports = "reports";

    public required string Name { get; set; }

    public required string TimeZone { get; set; }
}
