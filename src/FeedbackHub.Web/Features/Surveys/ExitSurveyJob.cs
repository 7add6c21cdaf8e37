using System.Globalization;
using FeedbackHub.Web.Features.Scheduling;
using Quartz;

namespace FeedbackHub.Web.Features.Surveys;

/// <summary>Every ten minutes: invites customers with a new churn event to the exit survey and sends the one reminder.</summary>
[DisallowConcurrentExecution]
public sealed class ExitSurveyJob(SurveyInviter inviter) : IScheduledJob
{
    public static JobSchedule Schedule { get; } = new(
        Name: "exit-surveys",
        Description: "Emails the exit survey to customers with a new churn event (once per event) and one reminder after Surveys:ReminderAfterDays days.",
        Cron: "0 0/10 * * * ?",
        When: "every 10 minutes");

    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var run = await inviter.RunAsync(cancellationToken);
        return new JobResult(
            string.Create(CultureInfo.InvariantCulture,
                $"Invited {run.Invited} customer(s) ({run.Skipped} not emailed: consent, suppression or fatigue cap); sent {run.Reminded} reminder(s)."),
            [("invited", run.Invited), ("skipped", run.Skipped), ("reminded", run.Reminded)]);
    }
}
