using System.Linq.Expressions;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>
/// Consecutive calendar months in the shop's time zone, and an expression that tells the database
/// which of them a moment falls in. Month starts move with summer time, so the bucket is a CASE over
/// the real UTC boundaries, which both databases evaluate on the indexed column as it is.
/// </summary>
public sealed class MonthBuckets
{
    private readonly DateTimeOffset[] _boundaries;

    /// <param name="firstMonth">The first day of the first month.</param>
    /// <param name="count">How many months.</param>
    /// <param name="zone">The shop's time zone.</param>
    public MonthBuckets(DateOnly firstMonth, int count, TimeZoneInfo zone)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Months = [.. Enumerable.Range(0, count).Select(i => ReportPeriod.Month(firstMonth.AddMonths(i).Year, firstMonth.AddMonths(i).Month, zone))];
        _boundaries = [.. Months.Select(m => m.Start), Months[^1].End];
    }

    public IReadOnlyList<ReportPeriod> Months { get; }

    public DateTimeOffset Start => _boundaries[0];

    public DateTimeOffset End => _boundaries[^1];

    /// <summary>
    /// The index of the month <paramref name="moment"/> falls in, as an expression over the same
    /// parameter, for moments within [<see cref="Start"/>, <see cref="End"/>); the caller filters to that range.
    /// </summary>
    public Expression IndexOf(Expression moment)
    {
        Expression body = Expression.Constant(Months.Count - 1);
        for (var i = Months.Count - 2; i >= 0; i--)
        {
            // Boundaries go in as closures so they become parameters, not literals in the SQL text.
            var boundary = Expression.Property(Expression.Constant(new Boundary(_boundaries[i + 1])), nameof(Boundary.At));
            body = Expression.Condition(Expression.LessThan(moment, boundary), Expression.Constant(i), body);
        }

        return body;
    }

    private sealed record Boundary(DateTimeOffset At);
}
