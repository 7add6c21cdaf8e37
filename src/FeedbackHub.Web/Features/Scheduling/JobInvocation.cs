namespace FeedbackHub.Web.Features.Scheduling;

/// <summary>
/// Who started the current run of a job, for jobs that record it (one per run, in the run's DI scope):
/// <see cref="Scheduled"/> for a trigger firing, a staff member for "Run now", or the command line.
/// </summary>
public sealed class JobInvocation
{
    public const string Scheduled = "schedule";

    public const string CommandLine = "command line";

    public string RequestedBy { get; set; } = Scheduled;
}
