using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Web.Features.Auditing;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Reasons;

/// <summary>One answer waiting for a support lead: what the customer wrote and chose, and what the model read in it.</summary>
public sealed record QueueItem(
    long ResponseId, long EventId, string Comment, string Locale, DateTimeOffset SubmittedAt, string ChosenReason,
    string PredictedReason, double Confidence, IReadOnlyList<ExplanationTerm> Explanation);

/// <summary>
/// The support leads' side of classification: the queue of predictions nobody has looked at (least
/// confident first) and the human label, which wins over the prediction wherever a reason is shown or counted.
/// </summary>
public sealed class ReasonReview(AppDbContext db, ReasonCatalog catalog, AuditTrail audit, TimeProvider time)
{
    public const int PageSize = 20;

    public async Task<Paged<QueueItem>> QueueAsync(int pageNumber, CancellationToken cancellationToken)
    {
        var page = await db.SurveyResponses.AsNoTracking()
            // Without its words (erased, or past the retention time) an answer cannot be reviewed.
            .Where(r => r.HumanReason == null && r.PredictedReason != null && r.Comment != "")
            .OrderBy(r => r.PredictionConfidence).ThenBy(r => r.Id)
            .Select(r => new
            {
                r.Id, r.Invitation!.ChurnEventId, r.Comment, r.Locale, r.SubmittedAt, r.Reason, r.PredictedReason,
                r.PredictionConfidence, r.PredictionExplanation,
            })
            .PageAsync(pageNumber, PageSize, cancellationToken);
        return new Paged<QueueItem>(
            [.. page.Rows.Select(r => new QueueItem(
                r.Id, r.ChurnEventId, r.Comment, r.Locale, r.SubmittedAt, r.Reason, r.PredictedReason!, r.PredictionConfidence ?? 0,
                ReasonExplanation.Parse(r.PredictionExplanation)))],
            page.Total, page.PageNumber, page.PageSize);
    }

    /// <summary>
    /// Sets the human label of an answer: confirming the prediction, correcting it, or changing an
    /// earlier label. Audited either way, with what the model and the customer said.
    /// </summary>
    public async Task<OperationResult<string>> LabelAsync(Actor actor, long responseId, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var reasons = await catalog.AllAsync(cancellationToken);
        if (!reasons.Any(r => r.Key == reason))
        {
            return new OperationResult<string>(null,
                [$"'{TextLimits.Shorten(reason ?? "")}' is not a reason; choose one of {string.Join(", ", reasons.Select(r => r.Key))}."]);
        }

        var response = await db.SurveyResponses.FirstOrDefaultAsync(r => r.Id == responseId, cancellationToken);
        if (response is null)
        {
            return new OperationResult<string>(null, [$"There is no survey answer {responseId}."]);
        }

        var what = response switch
        {
            { HumanReason: { } earlier } when earlier != reason => $"changed from {earlier} to {reason}",
            { HumanReason: not null } => $"kept {reason}",
            { PredictedReason: { } predicted } when predicted == reason => $"confirmed {reason}",
            _ => $"set to {reason}",
        };
        var prediction = response.PredictedReason is { } label
            ? string.Create(CultureInfo.InvariantCulture, $"predicted {label} {response.PredictionConfidence:0.00}")
            : "no prediction";
        (response.HumanReason, response.LabelledBy, response.LabelledAt) = (reason, TextLimits.Truncate(actor.Name, FieldLengths.Email), time.GetUtcNow());
        audit.Add(actor, AuditActions.ReasonLabelled, $"response:{responseId}", $"{what} ({prediction}; the customer chose {response.Reason})");
        await db.SaveChangesAsync(cancellationToken);
        return new OperationResult<string>(reason, []);
    }
}
