namespace FeedbackHub.Web.Features.Scheduling;

/// <summary>
/// A scheduled job's work as a plain method. Quartz runs it when its trigger fires (through
/// <see cref="QuartzJob{TJob}"/>); <c>feedbackhub jobs run</c> and tests call it directly.
/// </summary>
public interface IScheduledJob
{
    /// <summary>The job's stable name and trigger, declared on the job class itself.</summary>
    static abstract JobSchedule Schedule { get; }

    Task<JobResult> RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Who a job is and when it runs. <paramref name="Name"/> is its key in the job store and on the
/// command line, so it must never change; <paramref name="Cron"/> is a Quartz cron expression
/// (seconds first) evaluated in UTC, and <paramref name="When"/> says the same in words.
/// </summary>
public sealed record JobSchedule(string Name, string Description, string Cron, string When);

/// <summary>What one run did: a sentence for people and logs, and counts for the CLI's summary line.</summary>
public sealed record JobResult(string Message, IReadOnlyList<(string Key, long Value)> Counts);
