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
/// kept, and a customer who first bought during the period is new, whatever happened next.
/// </summary>
public sealed class RetentionReport(AppDbContext db)
{
    public async Task<RetentionFigure> FigureAsync(ReportPeriod period, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(filter);
        var customers = filter.Apply(db);
        var atStart = await ActiveAt(customers, period.Start).CountAsync(cancellationToken);
        var atEnd = await ActiveAt(customers, period.End).CountAsync(cancellationToken);
        var newcomers = await AcquiredBefore(customers, period.End).Select(c => c.Id)
            .Except(AcquiredBefore(customers, period.Start).Select(c => c.Id))
            .CountAsync(cancellationToken);
        return new RetentionFigure(atStart, newcomers, atEnd);
    }

    /// <summary>
    /// Each month's figure, for the trend chart. Consecutive months share their boundary (the end of
    /// one is the start of the next), and acquisition only grows, so new customers in a month are the
    /// acquired count at its end minus the one at its start: two counts per boundary, not three per month.
    /// </summary>
    public async Task<IReadOnlyList<RetentionFigure>> MonthlyAsync(MonthBuckets buckets, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(filter);
        var customers = filter.Apply(db);
        var boundaries = buckets.Months.Select(m => m.Start).Append(buckets.End).ToList();
        var (active, acquired) = (new List<int>(), new List<int>());
        foreach (var boundary in boundaries)
        {
            active.Add(await ActiveAt(customers, boundary).CountAsync(cancellationToken));
            acquired.Add(await AcquiredBefore(customers, boundary).CountAsync(cancellationToken));
        }

        return [.. buckets.Months.Select((_, i) => new RetentionFigure(active[i], acquired[i + 1] - acquired[i], active[i + 1]))];
    }

    public async Task<RetentionTrend> TrendAsync(ReportPeriod period, TimeZoneInfo zone, CustomerFilter filter, CancellationToken cancellationToken) =>
        new(period, await FigureAsync(period, filter, cancellationToken), await FigureAsync(period.Previous(zone), filter, cancellationToken));

    /// <summary>Customers at a moment: acquired before it, and no churn event open at it.</summary>
    private IQueryable<Customer> ActiveAt(IQueryable<Customer> customers, DateTimeOffset moment) =>
        AcquiredBefore(customers, moment)
            .Where(c => !db.ChurnEvents.Any(e => e.CustomerId == c.Id && e.ChurnedAt <= moment && (e.WonBackAt == null || e.WonBackAt > moment)));

    private static IQueryable<Customer> AcquiredBefore(IQueryable<Customer> customers, DateTimeOffset moment) =>
        customers.Where(c => c.Orders.Any(o => o.PlacedAt < moment) || c.SubscriptionEvents.Any(e => e.OccurredAt < moment));
}
