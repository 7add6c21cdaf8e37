using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Reasons;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Reasons;

/// <summary>A reason staff can give an answer: its key, its label in both languages, and whether an admin added it.</summary>
public sealed record ReasonChoice(string Key, string English, string Dutch, bool IsCustom);

/// <summary>The reasons answers can be labelled with: the four standard ones and the admins' own.</summary>
public sealed class ReasonCatalog(AppDbContext db, AuditTrail audit, TimeProvider time)
{
    /// <summary>Price, service, experience and other, worded as the default survey words them.</summary>
    public static IReadOnlyList<ReasonChoice> Standard { get; } =
    [
        .. SurveyDefinition.StandardReasons.Select(key => new ReasonChoice(
            key,
            SurveyDefinition.Default.English.Choices.Single(c => c.Key == key).Label,
            SurveyDefinition.Default.Dutch.Choices.Single(c => c.Key == key).Label,
            IsCustom: false)),
    ];

    /// <summary>The standard reasons, then the custom ones in the order they were added.</summary>
    public async Task<IReadOnlyList<ReasonChoice>> AllAsync(CancellationToken cancellationToken)
    {
        var custom = await db.CustomReasons.AsNoTracking().OrderBy(r => r.Id)
            .Select(r => new ReasonChoice(r.Key, r.LabelEnglish, r.LabelDutch, true)).ToListAsync(cancellationToken);
        return [.. Standard, .. custom];
    }

    /// <summary>Answers support leads labelled, per reason; only answers with a comment count, as only those can teach the model.</summary>
    public async Task<IReadOnlyDictionary<string, int>> LabelledCountsAsync(CancellationToken cancellationToken) =>
        await db.SurveyResponses.Where(r => r.HumanReason != null && r.Comment != "")
            .GroupBy(r => r.HumanReason!)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, cancellationToken);

    /// <summary>Adds a custom reason; every problem comes back worded for the admin, and nothing is stored then.</summary>
    public async Task<OperationResult<ReasonChoice>> AddCustomAsync(
        Actor actor, string? key, string? english, string? dutch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        (key, english, dutch) = (key?.Trim() ?? "", english?.Trim() ?? "", dutch?.Trim() ?? "");
        var errors = new List<string>();
        if (!SurveyDefinition.IsValidKey(key))
        {
            errors.Add(SurveyDefinition.KeyRule);
        }
        else if (Standard.Any(r => r.Key == key) || await db.CustomReasons.AnyAsync(r => r.Key == key, cancellationToken))
        {
            errors.Add($"There is already a reason with the key '{key}'.");
        }

        CheckLabel(english, "English", errors);
        CheckLabel(dutch, "Dutch", errors);
        if (errors.Count > 0)
        {
            return new OperationResult<ReasonChoice>(null, errors);
        }

        db.CustomReasons.Add(new CustomReason { Key = key, LabelEnglish = english, LabelDutch = dutch, CreatedAt = time.GetUtcNow(), CreatedBy = TextLimits.Truncate(actor.Name, FieldLengths.Email) });
        audit.Add(actor, AuditActions.CustomReasonAdded, $"reason:{key}", $"{english} / {dutch}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique key: another admin added the same key a moment ago.
            db.ChangeTracker.Clear();
            return new OperationResult<ReasonChoice>(null, [$"There is already a reason with the key '{key}'."]);
        }

        return new OperationResult<ReasonChoice>(new ReasonChoice(key, english, dutch, true), []);
    }

    private static void CheckLabel(string label, string language, List<string> errors)
    {
        if (label.Length == 0)
        {
            errors.Add($"Give the {language} label.");
        }
        else if (label.Length > ReasonLimits.Label)
        {
            errors.Add($"The {language} label has {label.Length} characters; at most {ReasonLimits.Label} fit.");
        }
    }
}
