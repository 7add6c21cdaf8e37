using System.Globalization;
using FeedbackHub.Web.Features.Scheduling;
using Quartz;

namespace FeedbackHub.Web.Features.Churn;

/// <summary>Nightly: opens churn events for cancellations and lapsed buyers and closes those of customers who came back.</summary>
[DisallowConcurrentExecution]
public sealed class ChurnDetectionJob(ChurnDetector detector) : IScheduledJob
{
    public static JobSchedule Schedule { get; } = new(
        Name: "churn-detection",
        Description: "Opens churn events for cancelled subscriptions and lapsed buyers (thresholds in the Churn settings) and marks customers who ordered again as won back.",
        Cron: "0 0 2 * * ?",
        When: "nightly at 02:00 UTC");

    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = await detector.DetectAllAsync(cancellationToken);
        return new JobResult(
            string.Create(CultureInfo.InvariantCulture,
                $"Opened {result.Cancelled} churn event(s) for cancellations and {result.Lapsed} for lapsed buyers; {result.WonBack} customer(s) won back."),
            [("cancelled", result.Cancelled), ("lapsed", result.Lapsed), ("won_back", result.WonBack)]);
    }
}
