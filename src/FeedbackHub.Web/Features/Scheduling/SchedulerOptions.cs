namespace FeedbackHub.Web.Features.Scheduling;

/// <summary>The job scheduler on this node (section <c>Scheduler</c>).</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>
    /// Runs scheduled jobs on this node. Off, this node runs none; in a PostgreSQL cluster the other
    /// nodes still run them, and <c>feedbackhub jobs run</c> works either way.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Another schedule for a job, by job name: a Quartz cron expression (seconds first, UTC), e.g.
    /// <c>Scheduler:Cron:churn-detection = 0 30 1 * * ?</c>. Every node of a cluster must use the same
    /// values, since each stores the trigger it is given. Unknown names and invalid expressions stop the app at start-up.
    /// </summary>
    public Dictionary<string, string> Cron { get; set; } = new(StringComparer.Ordinal);
}
