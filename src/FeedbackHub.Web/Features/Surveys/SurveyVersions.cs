using FeedbackHub.Data;
using FeedbackHub.Data.Surveys;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Surveys;

/// <summary>A stored survey version with its parsed definition.</summary>
public sealed record SurveyVersionInfo(long Id, int Number, SurveyDefinition Definition, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>The exit survey's versions: the newest is asked; every older one stays for the responses that answered it.</summary>
public sealed class SurveyVersions(AppDbContext db, TimeProvider time)
{
    public const string BuiltIn = "FeedbackHub";

    /// <summary>The version new visitors answer; a fresh installation gets the built-in survey as version 1.</summary>
    public async Task<SurveyVersionInfo> CurrentAsync(CancellationToken cancellationToken)
    {
        var current = await db.SurveyVersions.AsNoTracking().OrderByDescending(v => v.Number).FirstOrDefaultAsync(cancellationToken);
        if (current is not null)
        {
            return Info(current);
        }

        try
        {
            return await SaveAsync(SurveyDefinition.Default, BuiltIn, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request stored version 1 first: use that one.
            db.ChangeTracker.Clear();
            return Info(await db.SurveyVersions.AsNoTracking().OrderByDescending(v => v.Number).FirstAsync(cancellationToken));
        }
    }

    public async Task<SurveyVersionInfo?> FindAsync(long id, CancellationToken cancellationToken) =>
        await db.SurveyVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, cancellationToken) is { } version ? Info(version) : null;

    /// <summary>Every stored version, newest first.</summary>
    public async Task<IReadOnlyList<SurveyVersionInfo>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await db.SurveyVersions.AsNoTracking().OrderByDescending(v => v.Number).ToListAsync(cancellationToken)).Select(Info)];

    /// <summary>Stores the definition as the next version. The caller validated it.</summary>
    public async Task<SurveyVersionInfo> SaveAsync(SurveyDefinition definition, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var number = (await db.SurveyVersions.MaxAsync(v => (int?)v.Number, cancellationToken) ?? 0) + 1;
        var version = new SurveyVersion { Number = number, Definition = definition.Serialize(), CreatedAt = time.GetUtcNow(), CreatedBy = by };
        db.SurveyVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        return Info(version);
    }

    private static SurveyVersionInfo Info(SurveyVersion version) =>
        new(version.Id, version.Number, SurveyDefinition.Parse(version.Definition), version.CreatedAt, version.CreatedBy);
}
