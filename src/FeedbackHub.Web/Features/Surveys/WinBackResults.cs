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
    public static IQueryable<WinBackCell> Cells(this IQueryable<SurveyResponse> responses) =>
        // Joined and flattened first, so the database groups one row per answer instead of joining again per group.
        responses
            .Select(r => new
            {
                r.EffectiveReason,
                r.WinBackOfferId,
                r.WinBackGroup,
                WonBack = r.Invitation!.ChurnEvent!.WonBackAt != null && r.Invitation.ChurnEvent.WonBackAt > r.SubmittedAt,
                Redeemed = r.DiscountCode!.RedeemedAt != null,
            })
            .GroupBy(r => new { r.EffectiveReason, r.WinBackOfferId, r.WinBackGroup })
            .Select(g => new WinBackCell(
                g.Key.EffectiveReason, g.Key.WinBackOfferId, g.Key.WinBackGroup, g.Count(), g.Count(r => r.WonBack), g.Count(r => r.Redeemed)));
}
