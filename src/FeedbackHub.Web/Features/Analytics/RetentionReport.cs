using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>A period's retention beside the same figure for the period before it.</summary>
public sealed record RetentionTrend(ReportPeriod Period, RetentionFigure Figure, RetentionFigure Previous);

/// <summary>
/// Customer retention counted in the database. A customer is a customer from their first order (or
/// subscription event) on, and stops being one while a churn event is open: from the moment it churned
/// until the moment it was won back. So someone who churns and comes back within one period counts as
/// kept, and a customer who first bought during the period is new, whatever happened next. When a
/// customer was acquired is kept in <see cref="Customer.AcquiredAt"/> by the database, so every figure
/// reads one index range instead of every order.
/// </summary>
public sealed class RetentionReport(AppDbContext db)
{
    public async Task<RetentionFigure> FigureAsync(ReportPeriod period, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        return (await FiguresAsync([period.Start, period.End], filter, cancellationToken))[0];
    }

    public async Task<RetentionTrend> TrendAsync(ReportPeriod period, TimeZoneInfo zone, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        // The previous period ends where this one starts: three moments give both figures.
        var figures = await FiguresAsync([period.Previous(zone).Start, period.Start, period.End], filter, cancellationToken);
        return new(period, figures[1], figures[0]);
    }

    /// <summary>Retention in each month of <paramref name="buckets"/>, for the trend chart.</summary>
    public Task<IReadOnlyList<RetentionFigure>> MonthsAsync(MonthBuckets buckets, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        return FiguresAsync([buckets.Start, .. buckets.Months.Select(m => m.End)], filter, cancellationToken);
    }

    /// <summary>
    /// Retention between each pair of consecutive <paramref name="moments"/> (ascending): the customers
    /// at each moment are counted once and shared by the periods on both sides of it.
    /// </summary>
    public async Task<IReadOnlyList<RetentionFigure>> FiguresAsync(IReadOnlyList<DateTimeOffset> moments, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(moments.Count, 2);
        var customers = filter.Apply(db);
        var acquired = await AcquiredBeforeAsync(customers, moments, cancellationToken);
        var active = new int[moments.Count];
        for (var i = 0; i < moments.Count; i++)
        {
            active[i] = acquired[i] - await GoneAtAsync(customers, moments[i], cancellationToken);
        }

        return [.. Enumerable.Range(0, moments.Count - 1).Select(i => new RetentionFigure(active[i], acquired[i + 1] - acquired[i], active[i + 1]))];
    }

    /// <summary>For each moment, the customers acquired before it, from one pass over the acquisition index.</summary>
    private static async Task<int[]> AcquiredBeforeAsync(IQueryable<Customer> customers, IReadOnlyList<DateTimeOffset> moments, CancellationToken cancellationToken)
    {
        var last = moments[^1];
        var counts = await customers.Where(c => c.AcquiredAt < last).Select(c => c.AcquiredAt!.Value)
            .GroupBy(MonthBuckets.IndexAmong(moments))
            .Select(g => new { Index = g.Key, Customers = g.Count() })
            .ToDictionaryAsync(g => g.Index, g => g.Customers, cancellationToken);
        // Index k holds the customers acquired in [moment k-1, moment k): before moment k are those up to k.
        var before = new int[moments.Count];
        for (var (k, sum) = (0, 0); k < moments.Count; k++)
        {
            sum += counts.GetValueOrDefault(k);
            before[k] = sum;
        }

        return before;
    }

    /// <summary>Customers acquired before the moment with a churn event open at it.</summary>
    private Task<int> GoneAtAsync(IQueryable<Customer> customers, DateTimeOffset moment, CancellationToken cancellationToken) =>
        db.ChurnEvents
            .Where(e => e.ChurnedAt <= moment && (e.WonBackAt == null || e.WonBackAt > moment)
                && customers.Any(c => c.Id == e.CustomerId && c.AcquiredAt < moment))
            .Select(e => e.CustomerId)
            .Distinct()
            .CountAsync(cancellationToken);
}
