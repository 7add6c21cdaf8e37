using FeedbackHub.Data;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Web.Features.Customers;
using FeedbackHub.Web.Features.Reasons;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Surveys.Review;

public enum AnswerFilter
{
    Any,
    Answered,
    Unanswered,
}

/// <summary>What support leads filter churned customers by; null or empty means any.</summary>
public sealed record ChurnFilter(
    string? Reason = null, DateOnly? From = null, DateOnly? To = null, string? Language = null,
    AnswerFilter Answer = AnswerFilter.Any, bool? WonBack = null);

/// <summary>
/// One churned customer as the list shows them: the event, the invitation and the answers, if any.
/// <see cref="Reason"/> is the effective reason (human label, else prediction, else chosen answer).
/// </summary>
public sealed record ChurnRow(
    long EventId, string CustomerName, string Email, ChurnKind Kind, DateTimeOffset ChurnedAt, string Explanation,
    DateTimeOffset? InvitedAt, string? SkipReason, string Language, DateTimeOffset? AnsweredAt, string? Reason,
    string? CommentStart, int? Comeback, DateTimeOffset? WonBackAt);

/// <summary>
/// Everything about one churn event that a support lead needs to follow up. <see cref="ReasonLabels"/>
/// words every reason key the response may carry (its survey's choices, the standard and custom
/// reasons); <see cref="PredictionModel"/> names the model version that predicted it, e.g. <c>v3 (1a2b3c4d)</c>.
/// </summary>
public sealed record ChurnDetail(
    ChurnEvent Event, SurveyInvitation? Invitation, SurveyResponse? Response, IReadOnlyDictionary<string, string> ReasonLabels,
    string? PredictionModel, CustomerHistory History)
{
    public string LabelOf(string key) => ReasonLabels.GetValueOrDefault(key, key);
}

/// <summary>The staff side of churn and exit surveys: who left, why they say they left, and what happened next.</summary>
public sealed class ExitSurveyReview(AppDbContext db, SurveyVersions versions, ReasonCatalog catalog)
{
    public const int PageSize = 25;
    public const int CommentStartLength = 160;

    public Task<Paged<ChurnRow>> ListAsync(ChurnFilter filter, int pageNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var rows =
            from e in db.ChurnEvents
            join c in db.Customers on e.CustomerId equals c.Id
            from i in db.SurveyInvitations.Where(i => i.ChurnEventId == e.Id).DefaultIfEmpty()
            from r in db.SurveyResponses.Where(r => i != null && r.InvitationId == i.Id).DefaultIfEmpty()
            select new { e, c, i, r };
        if (!string.IsNullOrEmpty(filter.Reason))
        {
            // The effective reason: a support lead's label wins over the prediction, which wins over the chosen answer.
            rows = rows.Where(x => x.r != null && x.r.EffectiveReason == filter.Reason);
        }

        if (filter.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            rows = rows.Where(x => x.e.ChurnedAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            rows = rows.Where(x => x.e.ChurnedAt < end);
        }

        if (!string.IsNullOrEmpty(filter.Language))
        {
            rows = rows.Where(x => (x.r != null ? x.r.Locale : x.i != null ? x.i.Locale : x.c.Locale) == filter.Language);
        }

        rows = filter.Answer switch
        {
            AnswerFilter.Answered => rows.Where(x => x.r != null),
            AnswerFilter.Unanswered => rows.Where(x => x.i != null && x.r == null),
            _ => rows,
        };
        if (filter.WonBack is { } wonBack)
        {
            rows = wonBack ? rows.Where(x => x.e.WonBackAt != null) : rows.Where(x => x.e.WonBackAt == null);
        }

        return rows.OrderByDescending(x => x.e.ChurnedAt).ThenByDescending(x => x.e.Id)
            .Select(x => new ChurnRow(
                x.e.Id, ((x.c.FirstName ?? "") + " " + (x.c.LastName ?? "")).Trim(), x.c.Email, x.e.Kind, x.e.ChurnedAt, x.e.Explanation,
                x.i != null ? x.i.CreatedAt : null, x.i != null ? x.i.SkipReason : null,
                x.r != null ? x.r.Locale : x.i != null ? x.i.Locale : x.c.Locale,
                x.r != null ? x.r.SubmittedAt : null, x.r != null ? x.r.EffectiveReason : null,
                x.r != null ? x.r.Comment.Substring(0, CommentStartLength) : null,
                x.r != null ? x.r.ComebackLikelihood : null, x.e.WonBackAt))
            .PageAsync(pageNumber, PageSize, cancellationToken);
    }

    public async Task<ChurnDetail?> DetailAsync(long eventId, CancellationToken cancellationToken)
    {
        var churn = await db.ChurnEvents.AsNoTracking().Include(e => e.Customer).FirstOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (churn is null)
        {
            return null;
        }

        var customerId = churn.CustomerId;
        var invitation = await db.SurveyInvitations.AsNoTracking().FirstOrDefaultAsync(i => i.ChurnEventId == eventId, cancellationToken);
        var response = invitation is null ? null : await db.SurveyResponses.AsNoTracking().FirstOrDefaultAsync(r => r.InvitationId == invitation.Id, cancellationToken);
        var labels = (await catalog.AllAsync(cancellationToken)).ToDictionary(r => r.Key, r => r.English, StringComparer.Ordinal);
        string? model = null;
        if (response is not null)
        {
            // The survey's own words for the customer's choice, which may be an admin's own choice key.
            foreach (var choice in (await versions.FindAsync(response.SurveyVersionId, cancellationToken))?.Definition.English.Choices ?? [])
            {
                labels[choice.Key] = choice.Label;
            }

            model = response.PredictionModelId is { } modelId
                ? await db.ReasonModels.Where(m => m.Id == modelId).Select(m => $"v{m.Id} ({m.Version})").FirstOrDefaultAsync(cancellationToken)
                : null;
        }

        return new ChurnDetail(churn, invitation, response, labels, model, await CustomerHistory.LoadAsync(db, customerId, cancellationToken));
    }

    /// <summary>The reason keys to filter by: the current survey's choices, then the classifier's reasons the survey does not offer.</summary>
    public async Task<IReadOnlyList<SurveyChoice>> ReasonsAsync(CancellationToken cancellationToken)
    {
        var choices = (await versions.CurrentAsync(cancellationToken)).Definition.English.Choices;
        var labels = await catalog.AllAsync(cancellationToken);
        return [.. choices, .. labels.Where(r => !choices.Any(c => c.Key == r.Key)).Select(r => new SurveyChoice(r.Key, r.English))];
    }
}
