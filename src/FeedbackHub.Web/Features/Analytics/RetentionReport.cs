using System.Linq.Expressions;
using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>A period's retention beside the same figure for the period before it.</summary>
public sealed record RetentionTrend(ReportPeriod Period, RetentionFigure Figure, RetentionFigure Previous);

/// <summary>The Overview page's retention: the period beside the one before it, and each month of the trend chart.</summary>
public sealed record RetentionOverview(RetentionTrend Trend, IReadOnlyList<RetentionFigure> Months);

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
    /// The period beside the one before it and each month of <paramref name="months"/>, from one count at
    /// every moment they start or end at: the page needs them together, and the counting passes over
    /// every churn event, so doing it once halves the page's time.
    /// </summary>
    public async Task<RetentionOverview> OverviewAsync(
        ReportPeriod period, MonthBuckets months, TimeZoneInfo zone, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(months);
        var previous = period.Previous(zone);
        var moments = new[] { previous.Start, period.Start, period.End, months.End }.Concat(months.Months.Select(m => m.Start)).Distinct().Order().ToList();
        var counts = await CountsAsync(moments, filter, cancellationToken);
        RetentionFigure Between(DateTimeOffset start, DateTimeOffset end) => counts.Between(moments.IndexOf(start), moments.IndexOf(end));
        return new(
            new RetentionTrend(period, Between(period.Start, period.End), Between(previous.Start, previous.End)),
            [.. months.Months.Select(m => Between(m.Start, m.End))]);
    }

    /// <summary>
    /// Retention between each pair of consecutive <paramref name="moments"/> (ascending): the customers
    /// at each moment are counted once and shared by the periods on both sides of it.
    /// </summary>
    public async Task<IReadOnlyList<RetentionFigure>> FiguresAsync(IReadOnlyList<DateTimeOffset> moments, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ArgumentOutOfRangeException.ThrowIfLessThan(moments.Count, 2);
        var counts = await CountsAsync(moments, filter, cancellationToken);
        return [.. Enumerable.Range(0, moments.Count - 1).Select(i => counts.Between(i, i + 1))];
    }

    /// <summary>Customers acquired before each moment, and of those the ones without a churn event open at it.</summary>
    private sealed record Counts(int[] Acquired, int[] Active)
    {
        public RetentionFigure Between(int start, int end) => new(Active[start], Acquired[end] - Acquired[start], Active[end]);
    }

    private async Task<Counts> CountsAsync(IReadOnlyList<DateTimeOffset> moments, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var customers = filter.Apply(db);
        var acquired = await AcquiredBeforeAsync(customers, moments, cancellationToken);
        var gone = await GoneAtAsync(customers, moments, cancellationToken);
        return new Counts(acquired, [.. acquired.Zip(gone, (a, g) => a - g)]);
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

    /// <summary>
    /// For each moment, the customers acquired before it with a churn event open at it. Counting per
    /// moment took a pass over the open events each; instead one pass places every event among the
    /// moments (see <see cref="Span"/>) and counts the events per placement. A customer counts once
    /// however many events they have open: the few customers with more than one event are counted
    /// from their own spans.
    /// </summary>
    private async Task<int[]> GoneAtAsync(IQueryable<Customer> customers, IReadOnlyList<DateTimeOffset> moments, CancellationToken cancellationToken)
    {
        var last = moments[^1];
        // Events won back before the first moment are placed too (covering no moment): a condition on the
        // win-back made SQLite fetch each event through an index instead of reading the table once.
        var spans = (
                from e in db.ChurnEvents
                where e.ChurnedAt <= last
                // No condition on the acquisition here (a customer acquired after the last moment, or never, is
                // placed after every moment): one made SQLite walk the customers' index and look up their events.
                join c in customers on e.CustomerId equals c.Id
                select new OpenEvent { CustomerId = e.CustomerId, ChurnedAt = e.ChurnedAt, WonBackAt = e.WonBackAt, AcquiredAt = c.AcquiredAt!.Value })
            .Select(Span.Among(moments));
        var placements = await spans
            .GroupBy(s => new { s.From, s.Acquired, s.Until })
            .Select(g => new { g.Key.From, g.Key.Acquired, g.Key.Until, Events = g.Count() })
            .ToListAsync(cancellationToken);
        // Customers with more than one churn event at all: a superset found from the events' own index alone,
        // and exact all the same (a customer with one event in the range corrects by nothing).
        var several = db.ChurnEvents.GroupBy(e => e.CustomerId).Where(g => g.Count() > 1).Select(g => g.Key);
        var theirs = (await spans.Where(s => several.Contains(s.CustomerId)).ToListAsync(cancellationToken)).GroupBy(s => s.CustomerId).ToList();
        return [.. Enumerable.Range(0, moments.Count).Select(k =>
            placements.Where(p => Span.Covers(p.From, p.Acquired, p.Until, k)).Sum(p => p.Events)
            - theirs.Sum(customer => customer.Count(s => s.Covers(k)) - (customer.Any(s => s.Covers(k)) ? 1 : 0)))];
    }

    /// <summary>A churn event and when its customer was acquired.</summary>
    private sealed class OpenEvent
    {
        public long CustomerId { get; set; }

        public DateTimeOffset ChurnedAt { get; set; }

        public DateTimeOffset? WonBackAt { get; set; }

        public DateTimeOffset AcquiredAt { get; set; }
    }

    /// <summary>
    /// A churn event placed among the moments: open at moment k when k is at least <see cref="From"/> (the
    /// first moment at or after it churned) and <see cref="Acquired"/> (the first moment after the
    /// customer was acquired), and below <see cref="Until"/> (the first moment at or after the win-back).
    /// </summary>
    private sealed class Span
    {
        public long CustomerId { get; set; }

        public int From { get; set; }

        public int Acquired { get; set; }

        public int Until { get; set; }

        public bool Covers(int k) => Covers(From, Acquired, Until, k);

        public static bool Covers(int from, int acquired, int until, int k) => k >= from && k >= acquired && k < until;

        /// <summary>The placement as the database computes it, with CASEs over the moments.</summary>
        public static Expression<Func<OpenEvent, Span>> Among(IReadOnlyList<DateTimeOffset> moments)
        {
            var e = Expression.Parameter(typeof(OpenEvent), "e");
            var wonBack = Expression.Property(e, nameof(OpenEvent.WonBackAt));
            var until = Expression.Condition(
                Expression.Equal(wonBack, Expression.Constant(null, typeof(DateTimeOffset?))),
                Expression.Constant(moments.Count),
                MonthBuckets.IndexAmong(Expression.Property(wonBack, nameof(Nullable<DateTimeOffset>.Value)), moments, orEqual: true));
            return Expression.Lambda<Func<OpenEvent, Span>>(
                Expression.MemberInit(
                    Expression.New(typeof(Span)),
                    Expression.Bind(typeof(Span).GetProperty(nameof(CustomerId))!, Expression.Property(e, nameof(OpenEvent.CustomerId))),
                    Expression.Bind(typeof(Span).GetProperty(nameof(From))!, MonthBuckets.IndexAmong(Expression.Property(e, nameof(OpenEvent.ChurnedAt)), moments, orEqual: true)),
                    Expression.Bind(typeof(Span).GetProperty(nameof(Acquired))!, MonthBuckets.IndexAmong(Expression.Property(e, nameof(OpenEvent.AcquiredAt)), moments, orEqual: false)),
                    Expression.Bind(typeof(Span).GetProperty(nameof(Until))!, until)),
                e);
        }
    }
}
