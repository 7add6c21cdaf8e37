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
}
