using FeedbackHub.Web.Features.Scheduling;
using Quartz;

namespace FeedbackHub.Web.Features.Reasons;

/// <summary>Nightly (and "Retrain now"): trains a candidate reason model on the corpus plus staff labels and promotes it if it is not worse.</summary>
[DisallowConcurrentExecution]
public sealed class ReasonRetrainingJob(ReasonRetrainer retrainer, JobInvocation invocation) : IScheduledJob
{
    /// <summary>How a scheduled run appears in the versions list.</summary>
    public const string Nightly = "nightly";

    public static JobSchedule Schedule { get; } = new(
        Name: "reason-retraining",
        Description: "Trains a candidate reason model on the bundled corpus plus the answers support leads labelled, scores it and the active model on the held-out labelled answers, and promotes it if its macro-F1 is not worse (Reason models page).",
        Cron: "0 30 4 * * ?",
        When: "nightly at 04:30 UTC");

    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var by = invocation.RequestedBy == JobInvocation.Scheduled ? Nightly : invocation.RequestedBy;
        var result = await retrainer.RetrainAsync(by, cancellationToken);
        return new JobResult(result.Message,
        [
            ("promoted", result.Outcome == RetrainOutcome.Promoted ? 1 : 0),
            ("rejected", result.Outcome == RetrainOutcome.Rejected ? 1 : 0),
            ("skipped", result.Outcome == RetrainOutcome.Skipped ? 1 : 0),
            ("model", result.ModelId ?? 0),
        ]);
    }
}
