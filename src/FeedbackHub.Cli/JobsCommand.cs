using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace FeedbackHub.Cli;

/// <summary><c>feedbackhub jobs list</c> and <c>feedbackhub jobs run NAME</c>: the scheduled jobs, for operators.</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List the scheduled jobs with their schedule and next and last fire time (UTC); one line per job, then 'status=ok jobs=N'.");
        list.SetAction((_, cancellationToken) => CliHost.RunAsync(ListAsync, cancellationToken));

        var name = new Argument<string>("name") { Description = "The job's name, as 'jobs list' shows it." };
        var run = new Command("run", "Run one job now, in this process, and print what it did.") { name };
        run.SetAction((parse, cancellationToken) => CliHost.RunAsync((services, ct) => RunAsync(services, parse.GetValue(name)!, ct), cancellationToken));

        return new Command("jobs", "Scheduled jobs (the web app runs them on their schedule).") { list, run };
    }

    private static async Task<VerbResult> ListAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var catalog = services.GetRequiredService<ScheduledJobCatalog>();
        IReadOnlyList<JobStatus> statuses;
        try
        {
            // A scheduler in stand-by only reads the job store: it fires nothing and does not join a cluster.
            var scheduler = await QuartzJobStore.CreateSchedulerAsync(services.GetRequiredService<DatabaseSettings>(), cancellationToken);
            try
            {
                statuses = await QuartzJobStore.DescribeAsync(scheduler, catalog, cancellationToken);
            }
            finally
            {
                await scheduler.Shutdown(waitForJobsToComplete: false, CancellationToken.None);
            }
        }
        catch (SchedulerException ex)
        {
            throw new VerbFailedException($"The job store cannot be read: {ex.GetBaseException().Message}");
        }

        foreach (var job in statuses)
        {
            Console.WriteLine(Summary.Format(
                ("name", job.Schedule.Name), ("schedule", job.Schedule.When), ("cron", job.Schedule.Cron),
                ("next", Format(job.NextFireTime)), ("last", Format(job.PreviousFireTime)), ("state", job.State),
                ("description", job.Schedule.Description)));
        }

        if (statuses.Any(s => s.State == QuartzJobStore.Describe(TriggerState.None)))
        {
            await Console.Error.WriteLineAsync("Jobs that are not scheduled yet are stored by the web app when it starts (unless Scheduler:Enabled is false).");
        }

        return Summary.Format(("status", "ok"), ("jobs", statuses.Count));
    }

    private static async Task<VerbResult> RunAsync(IServiceProvider services, string name, CancellationToken cancellationToken)
    {
        var catalog = services.GetRequiredService<ScheduledJobCatalog>();
        var job = catalog.Find(name)
            ?? throw new VerbFailedException($"There is no job named '{name}'. Known jobs: {string.Join(", ", catalog.Names)}.");
        // The same method the scheduler calls, without the scheduler: it works while the web app is down.
        await Console.Error.WriteLineAsync($"Running {job.Schedule.Name}: {job.Schedule.Description}");
        services.GetRequiredService<JobInvocation>().RequestedBy = JobInvocation.CommandLine;
        var stopwatch = Stopwatch.StartNew();
        var result = await job.Run(services, cancellationToken);
        await Console.Error.WriteLineAsync(result.Message);
        return Summary.Format(
            [("status", "ok"), ("job", job.Schedule.Name), .. result.Counts.Select(c => (c.Key, (object?)c.Value)),
             ("seconds", Math.Round(stopwatch.Elapsed.TotalSeconds, 3))]);
    }

    private static string Format(DateTimeOffset? at) =>
        at is { } time ? time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "never";
}
