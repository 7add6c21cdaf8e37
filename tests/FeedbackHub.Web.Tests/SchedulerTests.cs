using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Scheduling;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FeedbackHub.Web.Tests;

/// <summary>Quartz on the tables our migrations create, once per database, through the app's own scheduler service.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SchedulerTests(PostgresServer postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task TriggerAsync_ForEachProvider_RunsTheJobThroughTheStoreInAScopeOfItsOwn(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using var node = new SchedulerHarness(database);
        await node.StartAsync();

        Assert.True(await node.Scheduler.TriggerAsync("probe", "tester@example.com", CancellationToken.None));
        Assert.True(await node.Runs.WaitAsync(Patience), "The triggered job did not run.");
        Assert.True(await node.Scheduler.TriggerAsync("probe", "tester@example.com", CancellationToken.None));
        Assert.True(await node.Runs.WaitAsync(Patience), "The job triggered a second time did not run.");

        Assert.Equal(2, node.Runs.Scopes.Distinct().Count());
        // Who asked travelled as job data through the store, and so through our serializer, both ways.
        await EventuallyAsync(() => node.Log.Entries.Count(e => e.Message.StartsWith("Job probe (tester@example.com) finished", StringComparison.Ordinal)) == 2, node);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task StartAsync_ForEachProvider_StoresEveryJobWithItsTriggerOnceAcrossRestarts(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using (var first = new SchedulerHarness(database))
        {
            await first.StartAsync();

            var jobs = await first.Scheduler.ListAsync(CancellationToken.None);
            Assert.Equal(["probe", "failing"], jobs.Select(j => j.Schedule.Name));
            Assert.All(jobs, job => Assert.Equal((new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), "waiting"), (job.NextFireTime, job.State)));
            Assert.All(jobs, job => Assert.Null(job.PreviousFireTime));
            Assert.Contains(first.Log.Entries, e => e.Message.Contains($"clustered: {provider == DatabaseProvider.Postgres}", StringComparison.Ordinal));
        }

        await using var restarted = new SchedulerHarness(database);
        await restarted.StartAsync();

        Assert.Contains(restarted.Log.Entries, e => e.Message.EndsWith("2 job(s), 0 stored or updated", StringComparison.Ordinal));
        Assert.All(await restarted.Scheduler.ListAsync(CancellationToken.None), job => Assert.NotNull(job.NextFireTime));
    }

    [Fact]
    public async Task TriggerAsync_TwoNodesOnPostgres_RunTheFiringOnOneNodeOnly()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Postgres, postgres);
        using var runs = new ProbeRuns();
        await using var first = new SchedulerHarness(database, runs);
        await using var second = new SchedulerHarness(database, runs);
        // Started together: both store the same jobs at the same time, which must not fail either.
        await Task.WhenAll(first.StartAsync(), second.StartAsync());

        Assert.True(await second.Scheduler.TriggerAsync("probe", "second node", CancellationToken.None));

        Assert.True(await runs.WaitAsync(Patience), "The triggered job did not run on either node.");
        Assert.False(await runs.WaitAsync(TimeSpan.FromSeconds(3)), "The same firing ran on both nodes.");
        Assert.Single(runs.Scopes);
    }

    [Fact]
    public async Task TriggerAsync_SqliteAndPostgresSchedulersInOneProcess_EachRunsOnItsOwnDatabase()
    {
        // Quartz keeps schedulers and data sources in process-wide tables; each host must still get its own.
        using var sqlite = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var postgresDatabase = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Postgres, postgres);
        await using var first = new SchedulerHarness(sqlite);
        await using var second = new SchedulerHarness(postgresDatabase);
        await Task.WhenAll(first.StartAsync(), second.StartAsync());

        Assert.True(await first.Scheduler.TriggerAsync("probe", "sqlite node", CancellationToken.None));
        Assert.True(await second.Scheduler.TriggerAsync("probe", "postgres node", CancellationToken.None));

        Assert.True(await first.Runs.WaitAsync(Patience), "The job did not run on the SQLite node.");
        Assert.True(await second.Runs.WaitAsync(Patience), "The job did not run on the PostgreSQL node.");
        Assert.Contains(first.Log.Entries, e => e.Message.Contains("on Sqlite (clustered: False)", StringComparison.Ordinal));
        Assert.Contains(second.Log.Entries, e => e.Message.Contains("on Postgres (clustered: True)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TriggerAsync_JobThatThrows_QuartzLogsTheFailureThroughTheHostsLogging()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        await using var node = new SchedulerHarness(database);
        await node.StartAsync();

        Assert.True(await node.Scheduler.TriggerAsync("failing", "tester", CancellationToken.None));

        await EventuallyAsync(() => node.Log.Entries.Any(IsTheFailure), node);

        static bool IsTheFailure(LogEntry e) => e.Level == LogLevel.Error
            && e.Category.StartsWith("Quartz.", StringComparison.Ordinal)
            && e.Message.Contains("feedbackhub.failing", StringComparison.Ordinal)
            && e.Exception?.GetBaseException().Message == "The probe's database went away.";
    }

    [Fact]
    public async Task TriggerAsync_UnknownJob_ReturnsFalse()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        await using var node = new SchedulerHarness(database);
        await node.StartAsync();

        Assert.False(await node.Scheduler.TriggerAsync("no-such-job", "tester", CancellationToken.None));
    }

    [Fact]
    public async Task StartAsync_Disabled_RunsNothingAndListsTheJobsWithoutTimes()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        await using var node = new SchedulerHarness(database, enabled: false);
        await node.StartAsync();

        Assert.False(node.Scheduler.IsRunning);
        Assert.False(await node.Scheduler.TriggerAsync("probe", "tester", CancellationToken.None));
        Assert.All(await node.Scheduler.ListAsync(CancellationToken.None), job => Assert.Null(job.NextFireTime));
        Assert.Contains(node.Log.Entries, e => e.Message.Contains("Scheduler:Enabled is false", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnsureScheduledAsync_ChangedAndRemovedJobs_AreReplacedAndDeleted()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        await using var harness = new SchedulerHarness(database);
        var probe = harness.Catalog.Find("probe")!;
        var failing = harness.Catalog.Find("failing")!;
        var scheduler = await QuartzJobStore.CreateSchedulerAsync(database.Settings, CancellationToken.None);
        try
        {
            Assert.Equal(2, await QuartzJobStore.EnsureScheduledAsync(scheduler, new ScheduledJobCatalog([probe, failing]), CancellationToken.None));
            Assert.Equal(0, await QuartzJobStore.EnsureScheduledAsync(scheduler, new ScheduledJobCatalog([probe, failing]), CancellationToken.None));

            var everyNight = probe with { Schedule = probe.Schedule with { Cron = "0 0 2 * * ?", When = "nightly at 02:00 UTC" } };
            Assert.Equal(1, await QuartzJobStore.EnsureScheduledAsync(scheduler, new ScheduledJobCatalog([everyNight]), CancellationToken.None));

            var trigger = Assert.IsType<ICronTrigger>(await scheduler.GetTrigger(probe.TriggerKey), exactMatch: false);
            Assert.Equal(("0 0 2 * * ?", "UTC"), (trigger.CronExpressionString, trigger.TimeZone.Id));
            Assert.Null(await scheduler.GetJobDetail(failing.Key));
            // The job class's [DisallowConcurrentExecution] is stored with the job.
            Assert.True((await scheduler.GetJobDetail(probe.Key))!.ConcurrentExecutionDisallowed);
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: false);
        }
    }

    private static async Task EventuallyAsync(Func<bool> condition, SchedulerHarness? node = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The expected log entry did not appear in time. Warnings and errors:\n" + string.Join("\n",
                (node?.Log.Entries ?? []).Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception?.GetBaseException().Message}")));
            await Task.Delay(50);
        }
    }
}
