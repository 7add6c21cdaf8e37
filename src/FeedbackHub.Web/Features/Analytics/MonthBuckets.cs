using System.Linq.Expressions;
using System.Reflection;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>
/// Consecutive calendar months in the shop's time zone, and a way to let the database tell which of
/// them a moment falls in. Month starts move with summer time, so the bucket is a CASE over the real
/// UTC boundaries, which both databases evaluate on the indexed column as it is.
/// </summary>
/// <example>
/// <code>
/// query.Select(e => new Row { Month = MonthBuckets.IndexOf(e.ChurnedAt) }).InMonths(buckets)
/// </code>
/// </example>
public sealed class MonthBuckets
{
    private static readonly MethodInfo IndexOfMethod = typeof(MonthBuckets).GetMethod(nameof(IndexOf), BindingFlags.Public | BindingFlags.Static)!;

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

    /// <summary><paramref name="count"/> months, the last of them the month of <paramref name="lastMonth"/>.</summary>
    public static MonthBuckets Ending(DateOnly lastMonth, int count, TimeZoneInfo zone) =>
        new(new DateOnly(lastMonth.Year, lastMonth.Month, 1).AddMonths(1 - count), count, zone);

    public IReadOnlyList<ReportPeriod> Months { get; }

    public DateTimeOffset Start => _boundaries[0];

    public DateTimeOffset End => _boundaries[^1];

    /// <summary>
    /// A placeholder inside a query for "the index of the month this moment falls in";
    /// <see cref="MonthBucketQueries.InMonths{T}"/> replaces it before the query runs. Moments must lie in
    /// [<see cref="Start"/>, <see cref="End"/>): the caller filters to that range.
    /// </summary>
    public static int IndexOf(DateTimeOffset moment) =>
        throw new InvalidOperationException($"MonthBuckets.IndexOf({moment:O}) only works inside a query passed through InMonths.");

    /// <summary>
    /// For a moment, the index of the first of <paramref name="ends"/> that lies after it (their count
    /// when none does), as a CASE the database evaluates: with ends ascending, the moment is before
    /// ends[k] exactly when the index is at most k.
    /// </summary>
    public static Expression<Func<DateTimeOffset, int>> IndexAmong(IReadOnlyList<DateTimeOffset> ends)
    {
        ArgumentNullException.ThrowIfNull(ends);
        var moment = Expression.Parameter(typeof(DateTimeOffset), "moment");
        return Expression.Lambda<Func<DateTimeOffset, int>>(IndexAmong(moment, ends, orEqual: false), moment);
    }

    /// <summary>
    /// The index of the first of <paramref name="ends"/> after <paramref name="moment"/> (or at it, with
    /// <paramref name="orEqual"/>), their count when there is none, as an expression for a query to use.
    /// </summary>
    internal static Expression IndexAmong(Expression moment, IReadOnlyList<DateTimeOffset> ends, bool orEqual)
    {
        Expression body = Expression.Constant(ends.Count);
        for (var i = ends.Count - 1; i >= 0; i--)
        {
            // Boundaries go in as closures so they become parameters, not literals in the SQL text.
            var boundary = Expression.Property(Expression.Constant(new Boundary(ends[i])), nameof(Boundary.At));
            var test = orEqual ? Expression.LessThanOrEqual(moment, boundary) : Expression.LessThan(moment, boundary);
            body = Expression.Condition(test, Expression.Constant(i), body);
        }

        return body;
    }

    internal Expression Bucket(Expression moment) => IndexAmong(moment, _boundaries[1..^1], orEqual: false);

    internal static bool IsIndexOf(MethodCallExpression call) => call.Method == IndexOfMethod;

    private sealed record Boundary(DateTimeOffset At);
}

public static class MonthBucketQueries
{
    /// <summary>The query with every <see cref="MonthBuckets.IndexOf"/> turned into the month's CASE over <paramref name="buckets"/>.</summary>
    public static IQueryable<T> InMonths<T>(this IQueryable<T> query, MonthBuckets buckets)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(buckets);
        return query.Provider.CreateQuery<T>(new Replacer(buckets).Visit(query.Expression));
    }

    private sealed class Replacer(MonthBuckets buckets) : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node) =>
            MonthBuckets.IsIndexOf(node) ? buckets.Bucket(Visit(node.Arguments[0])) : base.VisitMethodCall(node);
    }
}
