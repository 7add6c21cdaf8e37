using System.Globalization;
using FeedbackHub.Web.Features.Scheduling;
using Quartz;

namespace FeedbackHub.Web.Features.Reasons;

/// <summary>Every minute: classifies survey answers the background worker missed (a restart, a failure, another node).</summary>
[DisallowConcurrentExecution]
public sealed class ReasonClassificationJob(ResponseClassifier classifier) : IScheduledJob
{
    public static JobSchedule Schedule { get; } = new(
        Name: "reason-classification",
        Description: "Classifies exit-survey answers with a comment that have no predicted reason yet (new answers are normally classified within seconds; this catches what a restart or a failure left behind).",
        Cron: "0 * * * * ?",
        When: "every minute");

    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var classified = await classifier.ClassifyPendingAsync(cancellationToken);
        return new JobResult(string.Create(CultureInfo.InvariantCulture, $"Classified {classified} answer(s)."), [("classified", classified)]);
    }
}
