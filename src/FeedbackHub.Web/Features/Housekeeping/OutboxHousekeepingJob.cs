using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Email;
using FeedbackHub.Web.Features.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace FeedbackHub.Web.Features.Housekeeping;

/// <summary>
/// Nightly: empties the HTML and text bodies of emails sent longer ago than
/// <see cref="HousekeepingOptions.SentEmailBodyDays"/>. Bodies are most of the outbox's size and hold
/// personal data; the rows stay, because the figures count sent emails per customer and campaign.
/// </summary>
[DisallowConcurrentExecution]
public sealed class OutboxHousekeepingJob(AppDbContext db, IOptions<HousekeepingOptions> options, TimeProvider time) : IScheduledJob
{
    /// <summary>Rows per UPDATE: short write transactions, so SQLite's single writer is never held for long.</summary>
    internal const int BatchSize = 1000;

    public static JobSchedule Schedule { get; } = new(
        Name: "outbox-housekeeping",
        Description: "Empties the bodies of emails sent more than Housekeeping:SentEmailBodyDays days ago (default 90); the rows stay for the figures.",
        Cron: "0 30 3 * * ?",
        When: "nightly at 03:30 UTC");

    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddDays(-options.Value.SentEmailBodyDays);
        var emptied = 0L;
        while (true)
        {
            var batch = await db.OutboxEmails.AsNoTracking()
                .Where(e => e.Status == OutboxStatus.Sent && e.SentAt < cutoff && (e.HtmlBody != "" || e.TextBody != ""))
                .OrderBy(e => e.Id).Select(e => e.Id).Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            emptied += await db.OutboxEmails
                .Where(e => batch.Contains(e.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.HtmlBody, "").SetProperty(e => e.TextBody, ""), cancellationToken);
        }

        return new JobResult(
            string.Create(CultureInfo.InvariantCulture, $"Emptied the bodies of {emptied} email(s) sent before {cutoff:yyyy-MM-dd HH:mm} UTC."),
            [("emptied", emptied)]);
    }
}
