using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Surveys.Admin;

/// <summary>A stored survey version and how many responses answered it.</summary>
public sealed record SurveyVersionSummary(SurveyVersionInfo Version, int Responses);

/// <summary>What saving the editor did: a new version, or nothing because nothing changed.</summary>
public sealed record SurveySaved(SurveyVersionInfo Version, bool Changed);

/// <summary>
/// Admins' changes to the exit survey. A change never alters a stored version: it becomes the next
/// one, so every response keeps pointing at the exact questions it answered.
/// </summary>
public sealed class SurveyEditor(AppDbContext db, SurveyVersions versions, AuditTrail audit)
{
    public async Task<IReadOnlyList<SurveyVersionSummary>> VersionsAsync(CancellationToken cancellationToken)
    {
        await versions.CurrentAsync(cancellationToken);
        var responses = await db.SurveyResponses.GroupBy(r => r.SurveyVersionId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return [.. (await versions.ListAsync(cancellationToken)).Select(v => new SurveyVersionSummary(v, responses.GetValueOrDefault(v.Id)))];
    }

    /// <summary>Stores the definition as the next version when it differs from the current one; nothing is stored when it has problems.</summary>
    public async Task<ValidatedResult<SurveySaved>> SaveAsync(Actor actor, SurveyDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(definition);
        var errors = definition.Validate();
        if (errors.Count > 0)
        {
            return ValidatedResult.Invalid<SurveySaved>(errors);
        }

        var current = await versions.CurrentAsync(cancellationToken);
        if (current.Definition.Serialize() == definition.Serialize())
        {
            return ValidatedResult.Ok(new SurveySaved(current, Changed: false));
        }

        audit.Add(actor, AuditActions.SurveyVersionCreated, $"version {current.Number + 1}", string.Join(", ", definition.ChoiceKeys));
        try
        {
            return ValidatedResult.Ok(new SurveySaved(await versions.SaveAsync(definition, actor.Name, cancellationToken), Changed: true));
        }
        catch (DbUpdateException)
        {
            // The unique version number: another admin saved in the same moment. Theirs stands; this one must be redone on top of it.
            db.ChangeTracker.Clear();
            return ValidatedResult.Invalid<SurveySaved>(new()
            {
                [""] = ["Someone else saved a new version a moment ago. Reload the page to see it, then make your change again."],
            });
        }
    }
}
