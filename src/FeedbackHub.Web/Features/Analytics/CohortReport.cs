using FeedbackHub.Data;
using FeedbackHub.Data.Analytics;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>One first-purchase month: how many customers it has, and how many of them ordered N months later.</summary>
/// <param name="Month">The first-purchase month.</param>
/// <param name="Customers">Customers whose first order fell in it.</param>
/// <param name="Active">Index N: customers of the cohort who ordered in month N after it (N = 0 is the cohort itself); only months that have passed.</param>
public sealed record Cohort(ReportPeriod Month, int Customers, IReadOnlyList<int> Active)
{
    /// <summary>Active[N] as a share of the cohort, in percent with one decimal.</summary>
    public decimal? PercentAt(int monthsSince) =>
        monthsSince >= Active.Count ? null : Percentages.Of(Active[monthsSince], Customers);
}

/// <summary>
/// Cohort retention: customers by first-purchase month, and the share of each who bought again in each later
/// month. Counted from the maintained <see cref="CustomerMonth"/> summary (a row per customer and month ordered in),
/// which <see cref="ReportSummaries"/> brings up to date first, so no order is grouped at read time.
/// </summary>
public sealed class CohortReport(AppDbContext db, ReportSummaries summaries)
{
    public const int MaxMonths = 36;

    /// <summary>The cohorts of <paramref name="months"/> months ending with the month of <paramref name="lastMonth"/>.</summary>
    public async Task<IReadOnlyList<Cohort>> CohortsAsync(DateOnly lastMonth, int months, TimeZoneInfo zone, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(months, MaxMonths);
        ArgumentNullException.ThrowIfNull(filter);
        await summaries.CatchUpAsync(zone, cancellationToken);
        var buckets = MonthBuckets.Ending(lastMonth, months, zone);
        var (first, end) = (ReportSummaries.Number(buckets.Months[0].FirstDay), ReportSummaries.Number(buckets.Months[0].FirstDay) + months);
        var rows = db.CustomerMonths.Where(m => m.FirstMonth >= first && m.FirstMonth < end && m.Month < end);
        if (!filter.KeepsEveryone)
        {
            var customers = filter.Apply(db);
            rows = rows.Where(m => customers.Any(c => c.Id == m.CustomerId));
        }

        var counts = await rows
            .GroupBy(m => new { m.FirstMonth, m.Month })
            .Select(g => new { g.Key.FirstMonth, g.Key.Month, Customers = g.Count() })
            .ToDictionaryAsync(c => (c.FirstMonth - first, c.Month - first), c => c.Customers, cancellationToken);
        return [.. buckets.Months.Select((month, cohort) => new Cohort(
            month,
            counts.GetValueOrDefault((cohort, cohort)),
            [.. Enumerable.Range(cohort, months - cohort).Select(m => counts.GetValueOrDefault((cohort, m)))]))];
    }

    /// <summary>
    /// Fills <see cref="CustomerMonth"/> with the months of the orders of the customers <paramref name="customers"/>
    /// keeps, each customer's rows with the customer's first month. An order's month is one seek down the month
    /// starts' index (MAX(Number) over the earlier starts would read every earlier month for each order).
    /// Fixed SQL only; nothing from outside is interpolated.
    /// </summary>
    internal static string SummaryInsert(Func<string, string> customers) => $"""
        WITH months AS (
            SELECT DISTINCT o."CustomerId",
                   (SELECT r."Number" FROM "ReportMonths" AS r WHERE r."StartsAt" <= o."PlacedAt" ORDER BY r."StartsAt" DESC LIMIT 1) AS "Month"
            FROM "Orders" AS o
            WHERE {customers("o.\"CustomerId\"")}
        )
        INSERT INTO "CustomerMonths" ("CustomerId", "FirstMonth", "Month")
        SELECT m."CustomerId", MIN(m."Month") OVER (PARTITION BY m."CustomerId"), m."Month"
        FROM months AS m
        WHERE m."Month" IS NOT NULL
        """;
}
