using System.Diagnostics;
using Quartz;

namespace FeedbackHub.Web.Features.Scheduling;

/// <summary>
/// Quartz's side of a scheduled job: runs <typeparamref name="TJob"/>'s plain method when a trigger
/// fires and logs what it did. A failure is left to Quartz, which logs it (with the job's key and the
/// exception) through <see cref="QuartzLogging"/> and fires the job again at its next time. Built per
/// firing, in a DI scope of its own, by <see cref="ScopedJobFactory"/>. Whether firings may overlap is
/// decided by the attribute on <typeparamref name="TJob"/> and stored with the job.
/// </summary>
internal sealed partial class QuartzJob<TJob>(TJob job, JobInvocation invocation, ILogger<QuartzJob<TJob>> logger) : IJob
    where TJob : class, IScheduledJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = TJob.Schedule.Name;
        var requestedBy = context.MergedJobDataMap.TryGetValue(QuartzJobStore.RequestedByKey, out var who) && who is string person ? person : JobInvocation.Scheduled;
        invocation.RequestedBy = requestedBy;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await job.RunAsync(context.CancellationToken);
            context.Result = result;
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            // The node and the trigger's scheduled time identify one firing across a cluster: the same
            // pair logged by two nodes would mean the firing ran twice.
            LogCompleted(name, requestedBy, seconds, context.Scheduler.SchedulerInstanceId, context.ScheduledFireTimeUtc, result.Message);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // Shutdown, not failure: every job does its work in steps that are safe to stop between,
            // and the next run carries on where this one stopped.
            LogCancelled(name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Job {Job} ({RequestedBy}) finished in {Seconds:0.###} s on node {Node}, firing scheduled for {ScheduledFor:O}: {Message}")]
    private partial void LogCompleted(string job, string requestedBy, double seconds, string node, DateTimeOffset? scheduledFor, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} stopped because the scheduler is shutting down; the next run carries on")]
    private partial void LogCancelled(string job);
}
