using FeedbackHub.Data;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>One month's churned customers by reason.</summary>
public sealed record ChurnReasonMonth(ReportPeriod Month, IReadOnlyDictionary<string, int> Customers)
{
    public int Total => Customers.Values.Sum();

    /// <summary>The reason's share of the month's churned customers, in percent with one decimal; null in a month without churn.</summary>
    public decimal? PercentOf(string reason) =>
        Total == 0 ? null : Math.Round(Customers.GetValueOrDefault(reason) * 100m / Total, 1, MidpointRounding.AwayFromZero);
}

/// <summary>
/// Churned customers per month, split by reason: the support lead's label, else the classifier's,
/// else the answer the customer chose (<c>SurveyResponses.EffectiveReason</c>), else <see cref="Unknown"/>
/// when the customer did not answer the survey.
/// </summary>
public sealed class ChurnReasonReport(AppDbContext db)
{
    public const string Unknown = "unknown";

    /// <summary>The months of <paramref name="months"/> months ending with the month of <paramref name="lastMonth"/>, by when customers churned.</summary>
    public async Task<IReadOnlyList<ChurnReasonMonth>> MonthsAsync(DateOnly lastMonth, int months, TimeZoneInfo zone, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var buckets = MonthBuckets.Ending(lastMonth, months, zone);
        var (start, end) = (buckets.Start, buckets.End);
        var customers = filter.Apply(db);
        var churns = filter.KeepsEveryone ? db.ChurnEvents : db.ChurnEvents.Where(e => customers.Any(c => c.Id == e.CustomerId));
        // Outer joins rather than a subquery per churn event: an event has at most one invitation and an
        // invitation at most one response (unique indexes), and PostgreSQL ran the subquery once per event.
        var cells = await (
                from churn in churns
                where churn.ChurnedAt >= start && churn.ChurnedAt < end
                join invitation in db.SurveyInvitations on churn.Id equals invitation.ChurnEventId into invitations
                from invitation in invitations.DefaultIfEmpty()
                join response in db.SurveyResponses on invitation.Id equals response.InvitationId into responses
                from response in responses.DefaultIfEmpty()
                select new
                {
                    churn.CustomerId,
                    Month = MonthBuckets.IndexOf(churn.ChurnedAt),
                    Reason = response.EffectiveReason ?? Unknown,
                })
            .Distinct()
            .GroupBy(c => new { c.Month, c.Reason })
            .Select(g => new { g.Key.Month, g.Key.Reason, Customers = g.Count() })
            .InMonths(buckets)
            .ToListAsync(cancellationToken);

        return [.. buckets.Months.Select((month, index) => new ChurnReasonMonth(
            month,
            cells.Where(c => c.Month == index).ToDictionary(c => c.Reason, c => c.Customers, StringComparer.Ordinal)))];
    }
}
