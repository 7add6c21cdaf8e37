using Quartz;

namespace FeedbackHub.Web.Features.Scheduling;

/// <summary>One job as registered in DI: its schedule, its Quartz adapter type and how to run it in a scope.</summary>
public sealed record ScheduledJobRegistration(
    JobSchedule Schedule,
    Type QuartzJobType,
    bool DisallowConcurrentExecution,
    Func<IServiceProvider, CancellationToken, Task<JobResult>> Run)
{
    public JobKey Key => new(Schedule.Name, ScheduledJobCatalog.Group);

    public TriggerKey TriggerKey => new(Schedule.Name, ScheduledJobCatalog.Group);
}

/// <summary>Every job this version of FeedbackHub has, checked once when the container builds it.</summary>
public sealed class ScheduledJobCatalog
{
    /// <summary>The Quartz group of our jobs and their triggers; jobs in it that the catalog lacks are removed at start-up.</summary>
    public const string Group = "feedbackhub";

    private readonly Dictionary<string, ScheduledJobRegistration> _byName;

    public ScheduledJobCatalog(IEnumerable<ScheduledJobRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        All = [.. registrations];
        _byName = new(StringComparer.Ordinal);
        foreach (var job in All)
        {
            // Programming errors, not settings: fail when the host is built rather than at 03:30.
            if (!_byName.TryAdd(job.Schedule.Name, job))
            {
                throw new InvalidOperationException($"Two scheduled jobs are named '{job.Schedule.Name}'.");
            }

            if (!CronExpression.IsValidExpression(job.Schedule.Cron))
            {
                throw new InvalidOperationException($"Job '{job.Schedule.Name}' has an invalid cron expression '{job.Schedule.Cron}'.");
            }
        }
    }

    public IReadOnlyList<ScheduledJobRegistration> All { get; }

    public IEnumerable<string> Names => All.Select(j => j.Schedule.Name);

    public ScheduledJobRegistration? Find(string name) => _byName.GetValueOrDefault(name);
}
