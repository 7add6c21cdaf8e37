using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Scheduling;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Tests;

/// <summary><c>Scheduler:Cron:&lt;job&gt;</c>: another schedule for a job, checked when the catalog is built.</summary>
public sealed class ScheduleOverrideTests
{
    private static readonly ScheduledJobRegistration Probe = new(ProbeJob.Schedule, typeof(object), true, (_, _) => Task.FromResult(new JobResult("", [])));

    [Fact]
    public void Catalog_CronSetForAJob_UsesItAndSaysWhereItCameFrom()
    {
        var catalog = new ScheduledJobCatalog([Probe], Options.Create(new SchedulerOptions { Cron = { ["probe"] = "0/5 * * * * ?" } }));

        var job = Assert.Single(catalog.All);
        Assert.Equal("0/5 * * * * ?", job.Schedule.Cron);
        Assert.Equal("as set in Scheduler:Cron:probe", job.Schedule.When);
        Assert.Equal(ProbeJob.Schedule.Name, job.Schedule.Name);
    }

    [Fact]
    public void Catalog_CronForAnUnknownJob_FailsNamingTheSettingAndTheJobs()
    {
        var error = Assert.Throws<SettingsException>(() =>
            new ScheduledJobCatalog([Probe], Options.Create(new SchedulerOptions { Cron = { ["prob"] = "0/5 * * * * ?" } })));

        Assert.Equal("Scheduler:Cron:prob", error.Setting);
        Assert.Contains("the jobs are probe", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_CronThatIsNotAnExpression_FailsNamingTheSetting()
    {
        var error = Assert.Throws<SettingsException>(() =>
            new ScheduledJobCatalog([Probe], Options.Create(new SchedulerOptions { Cron = { ["probe"] = "every five seconds" } })));

        Assert.Equal("Scheduler:Cron:probe", error.Setting);
    }
}
