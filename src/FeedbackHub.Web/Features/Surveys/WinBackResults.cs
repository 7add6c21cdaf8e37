using FeedbackHub.Data;
using FeedbackHub.Data.Surveys;

namespace FeedbackHub.Web.Features.Surveys;

/// <summary>
/// Answers of one kind: one effective reason, one win-back offer (or none) and one group of it, with how
/// many of those customers came back and how many used the offer's code.
/// </summary>
public sealed record WinBackCell(string Reason, long? OfferId, WinBackGroup Group, int Responses, int WonBack, int CodesRedeemed);

public static class WinBackResults
{
    /// <summary>
    /// The answers counted per reason, offer and group, in the database. Won back means the churn was
    /// closed (an order or a resumed subscription) after the answer: only then can the offer, which the
    /// thank-you page shows, have played a part.
    /// </summary>
    public static IQueryable<WinBackCell> Cells(this IQueryable<SurveyResponse> responses, AppDbContext db) =>
        // Joined and flattened first, so the database groups one row per answer. The joins are written out and
        // the conditions summed as 0 or 1: through navigations, or as counts with a condition, EF Core writes a
        // subquery per group that joins every answer again.
        (
            from r in responses
            join i in db.SurveyInvitations on r.InvitationId equals i.Id
            join e in db.ChurnEvents on i.ChurnEventId equals e.Id
            from d in db.DiscountCodes.Where(d => d.Id == r.DiscountCodeId).DefaultIfEmpty()
            select new
            {
                r.EffectiveReason,
                r.WinBackOfferId,
                r.WinBackGroup,
                WonBack = e.WonBackAt != null && e.WonBackAt > r.SubmittedAt ? 1 : 0,
                Redeemed = d != null && d.RedeemedAt != null ? 1 : 0,
            })
            .GroupBy(r => new { r.EffectiveReason, r.WinBackOfferId, r.WinBackGroup })
            .Select(g => new WinBackCell(
                g.Key.EffectiveReason, g.Key.WinBackOfferId, g.Key.WinBackGroup, g.Count(), g.Sum(r => r.WonBack), g.Sum(r => r.Redeemed)));
}
