using System.Globalization;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Scheduling;
using Microsoft.Extensions.Options;
using Quartz;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>
/// Every five minutes: brings the cohort summary up to date, so a dashboard read rarely has order changes
/// left to count (after an upgrade or a large import, this is where the summary is first built).
/// </summary>
[DisallowConcurrentExecution]
public sealed class CohortSummaryJob(CohortSummary summary, IOptions<EmailOptions> email) : IScheduledJob
{
    public static JobSchedule Schedule { get; } = new(
        Name: "cohort-summary",
        Description: "Counts the months of customers whose orders changed into the cohort summary the Cohorts dashboard reads.",
        Cron: "0 0/5 * * * ?",
        When: "every 5 minutes");

    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var customers = await summary.CatchUpAsync(email.Value.ShopZone, cancellationToken);
        return new JobResult(
            string.Create(CultureInfo.InvariantCulture, $"Counted the months of {customers} customer change(s)."),
            [("customers", customers)]);
    }
}
