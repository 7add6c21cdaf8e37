using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace FeedbackHub.Web.Features.Privacy;

/// <summary>
/// Nightly: deletes the free text of survey answers submitted more than
/// <see cref="PrivacyOptions.SurveyTextRetentionMonths"/> months ago, with the words the classifier
/// picked from it. The chosen reason, the prediction and the support lead's label stay, so churn
/// figures do not change; older answers simply no longer teach the classifier.
/// </summary>
[DisallowConcurrentExecution]
public sealed class SurveyTextRetentionJob(AppDbContext db, AuditTrail audit, IOptions<PrivacyOptions> options, TimeProvider time) : IScheduledJob
{
    /// <summary>Rows per UPDATE: short write transactions, so SQLite's single writer is never held for long.</summary>
    internal const int BatchSize = 1000;

    public static JobSchedule Schedule { get; } = new(
        Name: "survey-text-retention",
        Description: "Deletes survey free text older than Privacy:SurveyTextRetentionMonths months (default 24, 0 keeps it); reasons and labels stay for the figures.",
        Cron: "0 45 3 * * ?",
        When: "nightly at 03:45 UTC");

    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var months = options.Value.SurveyTextRetentionMonths;
        if (months == 0)
        {
            return new JobResult("Survey text is kept forever (Privacy:SurveyTextRetentionMonths is 0).", [("emptied", 0)]);
        }

        var cutoff = time.GetUtcNow().AddMonths(-months);
        var emptied = 0L;
        while (true)
        {
            var batch = await db.SurveyResponses.AsNoTracking()
                .Where(r => r.SubmittedAt < cutoff && (r.Comment != "" || r.PredictionExplanation != null))
                .OrderBy(r => r.Id).Select(r => r.Id).Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            emptied += await db.SurveyResponses
                .Where(r => batch.Contains(r.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Comment, "").SetProperty(r => r.PredictionExplanation, (string?)null), cancellationToken);
        }

        var message = string.Create(CultureInfo.InvariantCulture, $"Deleted the free text of {emptied} survey answer(s) submitted before {cutoff:yyyy-MM-dd HH:mm} UTC.");
        if (emptied > 0)
        {
            await audit.RecordAsync(Actor.System, AuditActions.SurveyTextExpired, details: message, cancellationToken: cancellationToken);
        }

        return new JobResult(message, [("emptied", emptied)]);
    }
}
