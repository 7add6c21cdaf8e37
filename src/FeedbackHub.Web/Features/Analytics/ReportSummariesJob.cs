using System.Globalization;
using FeedbackHub.Web.Features.Scheduling;
using Quartz;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>
/// Every five minutes: brings the report summaries up to date, so a dashboard read rarely has changes
/// left to count (after an upgrade or a large import, this is where the summaries are first built).
/// </summary>
[DisallowConcurrentExecution]
public sealed class ReportSummariesJob(ReportSummaries summaries) : IScheduledJob
{
    public static JobSchedule Schedule { get; } = new(
        Name: "report-summaries",
        Description: "Recounts the customers whose orders, campaign decisions, codes or churns changed into the summaries the Cohorts, Campaigns and Churn reasons dashboards read.",
        Cron: "0 0/5 * * * ?",
        When: "every 5 minutes");

    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var customers = await summaries.CatchUpAsync(cancellationToken);
        return new JobResult(
            string.Create(CultureInfo.InvariantCulture, $"Recounted {customers} customer change(s)."),
            [("customers", customers)]);
    }
}
