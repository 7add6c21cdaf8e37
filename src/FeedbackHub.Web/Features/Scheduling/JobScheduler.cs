using FeedbackHub.Data.Database;
using Microsoft.Extensions.Options;
using Quartz;

namespace FeedbackHub.Web.Features.Scheduling;

/// <summary>
/// Runs Quartz on this node for the life of the host: created on the application database once the
/// migrations ran, our jobs (re)stored, started; shut down with the host, letting a running job finish
/// its cancellation. The Jobs page reads and triggers jobs through it.
/// </summary>
public sealed partial class JobScheduler(
    DatabaseSettings database,
    ScheduledJobCatalog catalog,
    IServiceScopeFactory scopes,
    ILoggerFactory loggerFactory,
    IOptions<SchedulerOptions> options,
    ILogger<JobScheduler> logger) : IHostedService
{
    private IScheduler? _scheduler;

    /// <summary>False when <c>Scheduler:Enabled</c> is off, before start-up and after shutdown.</summary>
    public bool IsRunning => _scheduler is { IsStarted: true, IsShutdown: false };

    /// <summary>True when <c>Scheduler:Enabled</c> is on, so that this node is meant to run jobs.</summary>
    public bool Enabled => options.Value.Enabled;

    /// <summary>True while the running scheduler is paused: it keeps its place in the cluster but fires nothing.</summary>
    public bool InStandby => _scheduler is { InStandbyMode: true };

    /// <summary>This node's id in the job store (<c>QRTZ_SCHEDULER_STATE</c>); null while the scheduler is not running here.</summary>
    public string? NodeId => _scheduler?.SchedulerInstanceId;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            LogDisabled(SchedulerOptions.Section);
            return;
        }

        QuartzLogging.Attach(loggerFactory);
        var scheduler = await QuartzJobStore.CreateSchedulerAsync(database, cancellationToken);
        try
        {
            scheduler.JobFactory = new ScopedJobFactory(scopes);
            var stored = await QuartzJobStore.EnsureScheduledAsync(scheduler, catalog, cancellationToken);
            await scheduler.Start(cancellationToken);
            _scheduler = scheduler;
            LogStarted(database.Provider, database.Provider == DatabaseProvider.Postgres, scheduler.SchedulerInstanceId, catalog.All.Count, stored);
        }
        catch
        {
            await scheduler.Shutdown(waitForJobsToComplete: false, CancellationToken.None);
            QuartzLogging.Detach(loggerFactory);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _scheduler, null) is { } scheduler)
        {
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
        }

        QuartzLogging.Detach(loggerFactory);
    }

    /// <summary>Every job with its next and previous fire time; times are unknown while the scheduler is not running here.</summary>
    public async Task<IReadOnlyList<JobStatus>> ListAsync(CancellationToken cancellationToken) =>
        _scheduler is { } scheduler
            ? await QuartzJobStore.DescribeAsync(scheduler, catalog, cancellationToken)
            : [.. catalog.All.Select(job => new JobStatus(job.Schedule, null, null, "scheduler off on this node"))];

    /// <summary>
    /// Fires a job now, through the scheduler: it runs in the background on whichever node is free (in a
    /// cluster) and never beside a run of itself. False for an unknown name or when the scheduler is not running here.
    /// </summary>
    public async Task<bool> TriggerAsync(string name, string requestedBy, CancellationToken cancellationToken)
    {
        if (_scheduler is not { } scheduler || catalog.Find(name) is not { } job)
        {
            return false;
        }

        await scheduler.TriggerJob(job.Key, new JobDataMap { [QuartzJobStore.RequestedByKey] = requestedBy }, cancellationToken);
        LogTriggered(name, requestedBy);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled jobs are off on this node ({Section}:Enabled is false)")]
    private partial void LogDisabled(string section);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Job scheduler started on {Provider} (clustered: {Clustered}) as {InstanceId}: {Jobs} job(s), {Stored} stored or updated")]
    private partial void LogStarted(DatabaseProvider provider, bool clustered, string instanceId, int jobs, int stored);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} triggered by {RequestedBy}")]
    private partial void LogTriggered(string job, string requestedBy);
}
