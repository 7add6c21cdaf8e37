using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Analytics;
using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Customers;
using FeedbackHub.Web.Features.Database;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>One month's churned customers by reason, and the monthly revenue they took with them.</summary>
/// <param name="Month">The calendar month in the shop's time zone.</param>
/// <param name="Customers">Churned customers per reason.</param>
/// <param name="RevenueLost">Per reason: the revenue lost (see <see cref="ChurnReasonReport"/>), rounded to cents.</param>
public sealed record ChurnReasonMonth(ReportPeriod Month, IReadOnlyDictionary<string, int> Customers, IReadOnlyDictionary<string, decimal> RevenueLost)
{
    public int Total => Customers.Values.Sum();

    /// <summary>The reasons' amounts added up as shown, so a stacked bar's total matches its parts.</summary>
    public decimal TotalRevenueLost => RevenueLost.Values.Sum();

    /// <summary>The reason's share of the month's churned customers, in percent with one decimal; null in a month without churn.</summary>
    public decimal? PercentOf(string reason) => Percentages.Of(Customers.GetValueOrDefault(reason), Total);
}

/// <summary>A churned customer behind one bar of the chart (one month, one reason), with what they answered.</summary>
/// <param name="ChurnEventId">The churn, for the churn detail page.</param>
/// <param name="CustomerExternalId">The shop's id of the customer.</param>
/// <param name="FirstName">The customer's first name, if known.</param>
/// <param name="LastName">The customer's last name, if known.</param>
/// <param name="Email">The customer's email address.</param>
/// <param name="ChurnedAt">When the customer counted as gone.</param>
/// <param name="Reason">The effective reason, <see cref="ChurnReasonReport.Unknown"/> without an answer.</param>
/// <param name="Comment">What the customer wrote; null when they did not answer the survey.</param>
/// <param name="ChosenAnswer">The survey choice they picked, which the effective <paramref name="Reason"/> may overrule.</param>
/// <param name="Language">The language they answered in, else their own.</param>
/// <param name="AnsweredAt">When they answered; null without an answer.</param>
/// <param name="MonthlyRevenue">Their average monthly revenue before churn, rounded to cents.</param>
public sealed record ChurnedCustomer(
    long ChurnEventId, string CustomerExternalId, string? FirstName, string? LastName, string Email, DateTimeOffset ChurnedAt,
    string Reason, string? ChosenAnswer, string? Comment, string Language, DateTimeOffset? AnsweredAt, decimal MonthlyRevenue)
{
    /// <summary>How staff see the customer: their name, else their email address.</summary>
    public string Name => CustomerDirectory.DisplayName(FirstName, LastName) is { Length: > 0 } name ? name : Email;
}

/// <summary>
/// Churned customers per month, split by reason: the support lead's label, else the classifier's,
/// else the answer the customer chose (<c>SurveyResponses.EffectiveReason</c>), else <see cref="Unknown"/>
/// when the customer did not answer the survey. A churn counts in the month of its moment
/// (<c>ChurnEvents.ChurnedAt</c>) in the shop's time zone, also when the customer was won back later,
/// even in the same month: the reason they left is still worth knowing. A customer who churned twice in
/// one month for the same reason counts once there.
/// <para>
/// Revenue lost is the sum, over those customers, of their <b>average monthly revenue before churn</b>:
/// the totals of their orders placed in the <see cref="WindowMonths"/> months of <see cref="DaysPerMonth"/>
/// days before the churn moment, divided by the number of those months they were a customer (from their
/// first order on; started months count as whole, at least 1). So someone who spent 90.00 over the full
/// year lost 7.50 a month, and someone who bought once for 30.00 in the 40 days before leaving lost
/// 15.00 a month (two started months). The sum is exact and rounded to cents once, half away from zero.
/// Amounts are in the orders' currency: a shop selling in one currency gets that currency. Each churn's
/// moment, reason, revenue and months are kept in the <see cref="LostRevenue"/> summary (<see cref="ReportSummaries"/>),
/// brought up to date before the figures are read, so no churned customer's orders or answers are looked up at read time.
/// </para>
/// </summary>
public sealed class ChurnReasonReport(AppDbContext db, ReportSummaries summaries)
{
    public const string Unknown = "unknown";
    public const int MaxMonths = 36;
    public const int PageSize = 25;
    public const int WindowMonths = 12;
    public const int DaysPerMonth = 30;

    /// <summary>
    /// The least common multiple of 1 to <see cref="WindowMonths"/>: each customer's revenue times this,
    /// divided by their months, is a whole number, so the sum over customers stays exact on both databases.
    /// </summary>
    private const long CommonMultiple = 27_720;

    /// <summary>The months of <paramref name="months"/> months ending with the month of <paramref name="lastMonth"/>, by when customers churned.</summary>
    public async Task<IReadOnlyList<ChurnReasonMonth>> MonthsAsync(DateOnly lastMonth, int months, TimeZoneInfo zone, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(months, MaxMonths);
        await summaries.CatchUpAsync(cancellationToken);
        var buckets = MonthBuckets.Ending(lastMonth, months, zone);
        var cells = await Churns(buckets.Start, buckets.End, filter)
            .Select(c => new { c.CustomerId, Month = MonthBuckets.IndexOf(c.ChurnedAt), c.Reason, Share = c.Revenue * (CommonMultiple / c.Months) })
            .GroupBy(c => new { c.CustomerId, c.Month, c.Reason })
            .Select(g => new { g.Key.Month, g.Key.Reason, Share = g.Max(c => c.Share) })
            .GroupBy(c => new { c.Month, c.Reason })
            .Select(g => new { g.Key.Month, g.Key.Reason, Customers = g.Count(), Shares = g.Sum(c => c.Share) })
            .InMonths(buckets)
            .ToListAsync(cancellationToken);

        return [.. buckets.Months.Select((month, index) =>
        {
            var inMonth = cells.Where(c => c.Month == index).ToList();
            return new ChurnReasonMonth(
                month,
                inMonth.ToDictionary(c => c.Reason, c => c.Customers, StringComparer.Ordinal),
                inMonth.ToDictionary(c => c.Reason, c => Cents(c.Shares, CommonMultiple), StringComparer.Ordinal));
        })];
    }

    /// <summary>
    /// The churned customers behind one bar: churns in <paramref name="month"/> whose effective reason is
    /// <paramref name="reason"/> (<see cref="Unknown"/> for those who did not answer), latest first, one row per churn.
    /// </summary>
    public async Task<Paged<ChurnedCustomer>> CustomersAsync(ReportPeriod month, string reason, CustomerFilter filter, int pageNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(month);
        ArgumentNullException.ThrowIfNull(filter);
        await summaries.CatchUpAsync(cancellationToken);
        var page = await (
                from money in Summarised(month.Start, month.End, filter).Where(l => l.Reason == reason)
                join churn in db.ChurnEvents on money.ChurnEventId equals churn.Id
                from response in db.SurveyResponses.Where(r => r.Invitation!.ChurnEventId == churn.Id).DefaultIfEmpty()
                orderby money.ChurnedAt descending, money.ChurnEventId descending
                select new
                {
                    ChurnEventId = churn.Id, churn.Customer!.ExternalId, churn.Customer.FirstName, churn.Customer.LastName, churn.Customer.Email,
                    churn.ChurnedAt, ChosenAnswer = response != null ? response.Reason : null, Comment = response != null ? response.Comment : null,
                    Language = response != null ? response.Locale : churn.Customer.Locale, AnsweredAt = response != null ? (DateTimeOffset?)response.SubmittedAt : null,
                    money.Revenue, money.Months,
                })
            .PageAsync(pageNumber, PageSize, cancellationToken);
        return new Paged<ChurnedCustomer>(
            [.. page.Rows.Select(c => new ChurnedCustomer(
                c.ChurnEventId, c.ExternalId, c.FirstName, c.LastName, c.Email, c.ChurnedAt, reason, c.ChosenAnswer, c.Comment, c.Language, c.AnsweredAt,
                Cents(c.Revenue, c.Months)))],
            page.Total, page.PageNumber, page.PageSize);
    }

    /// <summary>Ten-thousandths of the currency, divided by <paramref name="divisor"/>, as an amount rounded to cents.</summary>
    private static decimal Cents(long scaled, long divisor) =>
        Math.Round(SqliteStorage.FromMoney(scaled) / divisor, 2, MidpointRounding.AwayFromZero);

    /// <summary>The churns in [start, end) of the filter's customers, with their reason and their revenue before churn (for the chart).</summary>
    private IQueryable<ChurnRow> Churns(DateTimeOffset start, DateTimeOffset end, CustomerFilter filter) =>
        Summarised(start, end, filter).Select(l => new ChurnRow
        {
            ChurnEventId = l.ChurnEventId, CustomerId = l.CustomerId, ChurnedAt = l.ChurnedAt, Reason = l.Reason, Revenue = l.Revenue, Months = l.Months,
        });

    /// <summary>The summary rows of the churns in [start, end) of the filter's customers.</summary>
    private IQueryable<LostRevenue> Summarised(DateTimeOffset start, DateTimeOffset end, CustomerFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var churns = db.LostRevenues.Where(l => l.ChurnedAt >= start && l.ChurnedAt < end);
        // Every churn has its customer by foreign key, so a filter that keeps everyone leaves the million customers out of the query.
        var customers = filter.Apply(db);
        return filter.KeepsEveryone ? churns : churns.Where(l => customers.Any(c => c.Id == l.CustomerId));
    }

    /// <summary>
    /// Fills <see cref="LostRevenue"/> for the churns of the customers <paramref name="customers"/> keeps: the moment,
    /// the answer's effective reason (<see cref="Unknown"/> without one), the order revenue in the window before the
    /// churn (in ten-thousandths) and the started months of the window the customer was a customer. Hand-written because
    /// date arithmetic and sums of money do not translate on SQLite. One pass over each customer's orders before the
    /// churn gives both the window's revenue and the first order. Fixed SQL only.
    /// </summary>
    internal static string SummaryInsert(ProviderSql sql, Func<string, string> customers)
    {
        var windowStart = sql.AddDays("e.\"ChurnedAt\"", (-WindowMonths * DaysPerMonth).ToString(CultureInfo.InvariantCulture));
        var customerSince = sql.Greatest("COALESCE(MIN(o.\"PlacedAt\"), e.\"ChurnedAt\")", windowStart);
        var months = sql.Ceiling($"{sql.Days("e.\"ChurnedAt\"", customerSince)} / {DaysPerMonth}.0");
        return $"""
            INSERT INTO "LostRevenues" ("ChurnEventId", "CustomerId", "ChurnedAt", "Reason", "Revenue", "Months")
            SELECT e."Id", e."CustomerId", e."ChurnedAt",
                   COALESCE((SELECT r."EffectiveReason" FROM "SurveyInvitations" AS i JOIN "SurveyResponses" AS r ON r."InvitationId" = i."Id"
                             WHERE i."ChurnEventId" = e."Id"), '{Unknown}'),
                   COALESCE({sql.Money($"SUM(CASE WHEN o.\"PlacedAt\" >= {windowStart} THEN o.\"Total\" END)")}, 0),
                   {sql.Greatest("1", months)}
            FROM "ChurnEvents" AS e
            LEFT JOIN "Orders" AS o ON o."CustomerId" = e."CustomerId" AND o."PlacedAt" < e."ChurnedAt"
            WHERE {customers("e.\"CustomerId\"")}
            GROUP BY e."Id", e."CustomerId", e."ChurnedAt"
            """;
    }

    private sealed class ChurnRow
    {
        public long ChurnEventId { get; init; }

        public long CustomerId { get; init; }

        public DateTimeOffset ChurnedAt { get; init; }

        public required string Reason { get; init; }

        public long Revenue { get; init; }

        public int Months { get; init; }
    }
}
