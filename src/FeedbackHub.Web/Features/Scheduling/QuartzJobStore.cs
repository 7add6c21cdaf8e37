using System.Collections.Specialized;
using FeedbackHub.Data.Database;
using Quartz;
using Quartz.Impl;
using Quartz.Impl.AdoJobStore;
using Quartz.Impl.Matchers;

namespace FeedbackHub.Web.Features.Scheduling;

/// <summary>How a job looks in the store right now, for the Jobs page and <c>feedbackhub jobs list</c>.</summary>
public sealed record JobStatus(JobSchedule Schedule, DateTimeOffset? NextFireTime, DateTimeOffset? PreviousFireTime, string State);

/// <summary>
/// Quartz's ADO job store in the application database (tables created by our migrations), and our
/// jobs in it. Shared by the web host, which runs the scheduler, and the CLI, which only reads it.
/// </summary>
public static class QuartzJobStore
{
    /// <summary>
    /// The scheduler's name: every node of a cluster uses the same one, which is how they share the
    /// jobs in the store (the <c>SCHED_NAME</c> column).
    /// </summary>
    public const string SchedulerName = "FeedbackHub";

    /// <summary>Job data naming who asked for a manual run ("Run now"); absent for scheduled runs.</summary>
    public const string RequestedByKey = "requested-by";

    /// <summary>Serialises scheduler creation in this process (see <see cref="CreateSchedulerAsync"/>).</summary>
    private static readonly SemaphoreSlim Creation = new(1, 1);

    /// <summary>The Quartz settings for the configured database: JobStoreTX, clustered on PostgreSQL only.</summary>
    public static NameValueCollection Properties(DatabaseSettings database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var postgres = database.Provider == DatabaseProvider.Postgres;
        // Quartz registers data sources by name in one process-wide table; a name of its own per
        // scheduler keeps several schedulers in one process (tests) each on its own database.
        var dataSource = $"app-{Guid.NewGuid():N}";
        return new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = SchedulerName,
            // Unique per scheduler, so that cluster nodes (even several in one process) never share an id,
            // and readable in QRTZ_SCHEDULER_STATE. Set explicitly: Quartz warns about its AUTO ids.
            ["quartz.scheduler.instanceId"] = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}",
            // Two jobs, at most two at once; the default of ten threads would only hold database connections.
            ["quartz.threadPool.maxConcurrency"] = "2",
            // On shutdown a running job is cancelled (its token fires) and awaited, not abandoned.
            ["quartz.scheduler.interruptJobsOnShutdownWithWait"] = "true",
            ["quartz.jobStore.type"] = TypeName<JobStoreTX>(),
            ["quartz.jobStore.driverDelegateType"] = postgres ? TypeName<PostgreSQLDelegate>() : TypeName<SQLiteDelegate>(),
            // Each job fires on one node only; SQLite is one file on one machine and has no cluster to join.
            ["quartz.jobStore.clustered"] = postgres ? "true" : "false",
            ["quartz.jobStore.tablePrefix"] = "QRTZ_",
            // Job data is stored as strings, never as serialised .NET objects (see JsonJobDataSerializer).
            ["quartz.jobStore.useProperties"] = "true",
            ["quartz.jobStore.dataSource"] = dataSource,
            [$"quartz.dataSource.{dataSource}.provider"] = postgres ? "Npgsql" : "SQLite-Microsoft",
            [$"quartz.dataSource.{dataSource}.connectionString"] = database.ConnectionString,
            ["quartz.serializer.type"] = TypeName<JsonJobDataSerializer>(),
        };
    }

    /// <summary>A scheduler on the application database, in stand-by: it fires nothing until started.</summary>
    public static async Task<IScheduler> CreateSchedulerAsync(DatabaseSettings database, CancellationToken cancellationToken)
    {
        var properties = Properties(database);
        await Creation.WaitAsync(cancellationToken);
        try
        {
            var scheduler = await new StdSchedulerFactory(properties).GetScheduler(cancellationToken);
            // StdSchedulerFactory keeps schedulers in a process-wide registry by name and hands out the
            // registered one instead of a new one. Several hosts in one process (tests, the CLI next to
            // a test host) must each get their own, on their own database, so ours is never left there.
            SchedulerRepository.Instance.Remove(scheduler.SchedulerName, scheduler.SchedulerInstanceId);
            return scheduler;
        }
        finally
        {
            Creation.Release();
        }
    }

    /// <summary>
    /// Puts every job of the catalog in the store with its cron trigger, leaving a job alone when it is
    /// stored as declared (so restarts and several nodes starting together change nothing, and the
    /// trigger keeps its last fire time), replacing it otherwise. Jobs of our group that the catalog no
    /// longer has are deleted, since Quartz could not load them. Returns how many jobs were (re)stored.
    /// </summary>
    public static async Task<int> EnsureScheduledAsync(IScheduler scheduler, ScheduledJobCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(catalog);
        var stored = 0;
        foreach (var job in catalog.All)
        {
            var detail = JobBuilder.Create(job.QuartzJobType)
                .WithIdentity(job.Key)
                .WithDescription(job.Schedule.Description)
                .DisallowConcurrentExecution(job.DisallowConcurrentExecution)
                // Kept without a trigger too, so that "Run now" always finds it.
                .StoreDurably()
                .Build();
            var trigger = TriggerBuilder.Create()
                .WithIdentity(job.TriggerKey)
                .ForJob(detail)
                .WithDescription(job.Schedule.When)
                // After downtime over the fire time, run once at start-up rather than wait a day.
                .WithCronSchedule(job.Schedule.Cron, cron => cron.InTimeZone(TimeZoneInfo.Utc).WithMisfireHandlingInstructionFireAndProceed())
                .Build();
            if (await IsStoredAsDeclaredAsync(scheduler, detail, (ICronTrigger)trigger, cancellationToken))
            {
                continue;
            }

            // replace: true, so that two nodes starting together both succeed; the last write is the same job.
            await scheduler.ScheduleJob(detail, [trigger], replace: true, cancellationToken);
            stored++;
        }

        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(ScheduledJobCatalog.Group), cancellationToken))
        {
            if (catalog.Find(key.Name) is null)
            {
                await scheduler.DeleteJob(key, cancellationToken);
            }
        }

        return stored;
    }

    /// <summary>Each job of the catalog with its trigger's next and previous fire time, as stored.</summary>
    public static async Task<IReadOnlyList<JobStatus>> DescribeAsync(IScheduler scheduler, ScheduledJobCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(catalog);
        var statuses = new List<JobStatus>(catalog.All.Count);
        foreach (var job in catalog.All)
        {
            var trigger = await scheduler.GetTrigger(job.TriggerKey, cancellationToken);
            var state = trigger is null ? TriggerState.None : await scheduler.GetTriggerState(job.TriggerKey, cancellationToken);
            statuses.Add(new JobStatus(job.Schedule, trigger?.GetNextFireTimeUtc(), trigger?.GetPreviousFireTimeUtc(), Describe(state)));
        }

        return statuses;
    }

    /// <summary>A trigger state in an operator's words (a non-concurrent job's trigger is Blocked while it runs).</summary>
    public static string Describe(TriggerState state) => state switch
    {
        TriggerState.Normal => "waiting",
        TriggerState.Blocked => "running",
        TriggerState.Paused => "paused",
        TriggerState.Error => "error",
        TriggerState.Complete => "complete",
        _ => "not scheduled",
    };

    private static async Task<bool> IsStoredAsDeclaredAsync(IScheduler scheduler, IJobDetail detail, ICronTrigger trigger, CancellationToken cancellationToken)
    {
        var storedJob = await scheduler.GetJobDetail(detail.Key, cancellationToken);
        if (await scheduler.GetTrigger(trigger.Key, cancellationToken) is not ICronTrigger storedTrigger || storedJob is null)
        {
            return false;
        }

        return storedJob.JobType == detail.JobType
            && storedJob.Description == detail.Description
            && storedJob.ConcurrentExecutionDisallowed == detail.ConcurrentExecutionDisallowed
            && storedJob.Durable
            && storedTrigger.CronExpressionString == trigger.CronExpressionString
            && storedTrigger.TimeZone.Id == trigger.TimeZone.Id
            && storedTrigger.MisfireInstruction == trigger.MisfireInstruction
            && storedTrigger.Description == trigger.Description
            // A trigger in error (its job failed to load once) is only reset by storing it again.
            && await scheduler.GetTriggerState(trigger.Key, cancellationToken) != TriggerState.Error;
    }

    private static string TypeName<T>() => $"{typeof(T).FullName}, {typeof(T).Assembly.GetName().Name}";
}
