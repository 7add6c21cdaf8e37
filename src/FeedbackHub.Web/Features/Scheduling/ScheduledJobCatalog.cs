using FeedbackHub.Data.Database;
using Microsoft.Extensions.Options;
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
        : this(registrations, new Dictionary<string, string>())
    {
    }

    /// <summary>The registered jobs, with the schedules set in <c>Scheduler:Cron</c> in place of their declared ones.</summary>
    public ScheduledJobCatalog(IEnumerable<ScheduledJobRegistration> registrations, IOptions<SchedulerOptions> options)
        : this(registrations, options?.Value.Cron ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    private ScheduledJobCatalog(IEnumerable<ScheduledJobRegistration> registrations, IReadOnlyDictionary<string, string> cron)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        All = [.. registrations.Select(job => WithSchedule(job, cron))];
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

        // Settings, not programming errors: worded for the operator, with the key at fault.
        foreach (var name in cron.Keys.Where(name => !_byName.ContainsKey(name)))
        {
            throw new SettingsException($"{SchedulerOptions.Section}:Cron:{name}",
                $"{SchedulerOptions.Section}:Cron:{name} names no job; the jobs are {string.Join(", ", _byName.Keys)}.");
        }
    }

    private static ScheduledJobRegistration WithSchedule(ScheduledJobRegistration job, IReadOnlyDictionary<string, string> cron)
    {
        if (!cron.TryGetValue(job.Schedule.Name, out var expression))
        {
            return job;
        }

        var key = $"{SchedulerOptions.Section}:Cron:{job.Schedule.Name}";
        return CronExpression.IsValidExpression(expression)
            ? job with { Schedule = job.Schedule with { Cron = expression, When = $"as set in {key}" } }
            : throw new SettingsException(key, $"{key} '{expression}' is not a Quartz cron expression (seconds first, e.g. '0 30 1 * * ?').");
    }

    public IReadOnlyList<ScheduledJobRegistration> All { get; }

    public IEnumerable<string> Names => All.Select(j => j.Schedule.Name);

    public ScheduledJobRegistration? Find(string name) => _byName.GetValueOrDefault(name);
}
