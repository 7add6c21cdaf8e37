using System.Net;
using System.Text.Json;
using FeedbackHub.Data;
using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace FeedbackHub.Web.Tests;

[Collection(PostgresCollection.Name)]
public sealed class HealthTests(PostgresServer postgres) : IDisposable
{
    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public async Task Healthz_DatabaseAnswers_Returns200WithDatabaseCheck()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(_factory.DataDirectory, "feedbackhub.db")), "The SQLite file is created in the data folder.");
    }

    [Fact]
    public async Task DatabaseCheck_DatabaseDoesNotAnswer_IsUnhealthy()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        new DatabaseSettings(DatabaseProvider.Postgres, "Host=127.0.0.1;Port=1;Database=none;Username=x;Timeout=2").Configure(options);
        await using var db = new AppDbContext(options.Options);

        var result = await new DatabaseHealthCheck(db).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public async Task Healthz_EmbeddedDefaults_ReportsPickupFolderOutboxAndSchedulerHealthy()
    {
        using var client = _factory.CreateClient();

        var checks = await ChecksAsync(client);

        Assert.Equal(("Healthy", true), (checks["email"].Status, checks["email"].Description.Contains("pickup folder", StringComparison.Ordinal)));
        Assert.Equal("Healthy", checks["outbox"].Status);
        Assert.Equal(("Healthy", true), (checks["scheduler"].Status, checks["scheduler"].Description.StartsWith("The job scheduler runs as", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Healthz_SchedulerSwitchedOff_ReportsTheSchedulerHealthyAndOff()
    {
        await using var factory = new FeedbackHubFactory(settings: new Dictionary<string, string> { ["Scheduler:Enabled"] = "false" });
        using var client = factory.CreateClient();

        var checks = await ChecksAsync(client);

        Assert.Equal("Healthy", checks["scheduler"].Status);
        Assert.Contains("Scheduler:Enabled is false", checks["scheduler"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_SmtpIsMailDev_RunningIsHealthyAndStoppedIsDegraded()
    {
        await using var mailDev = new MailDevServer();
        await mailDev.InitializeAsync();
        await using var factory = new FeedbackHubFactory(settings: new Dictionary<string, string>
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = $"{mailDev.SmtpPort}",
        });
        using var client = factory.CreateClient();
        var running = await ChecksAsync(client);
        Assert.Equal("Healthy", running["email"].Status);
        Assert.Contains($"127.0.0.1:{mailDev.SmtpPort} answered EHLO", running["email"].Description, StringComparison.Ordinal);

        await mailDev.StopAsync();
        var check = new SmtpHealthCheck(
            Microsoft.Extensions.Options.Options.Create(new EmailOptions { Smtp = new SmtpSettings { Host = "127.0.0.1", Port = mailDev.SmtpPort } }),
            new StorageSettings(factory.DataDirectory), TimeProvider.System);
        using (check)
        {
            var stopped = await check.CheckHealthAsync(new HealthCheckContext());

            // Degraded, so a load balancer keeps the node: the mail waits in the outbox.
            Assert.Equal(HealthStatus.Degraded, stopped.Status);
            Assert.Contains($"SMTP relay 127.0.0.1:{mailDev.SmtpPort} cannot be reached", stopped.Description, StringComparison.Ordinal);
            Assert.Contains("Emails wait in the outbox and are retried", stopped.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SmtpCheck_MailDevStopsWithinTheCacheTime_KeepsTheLastResultUntilItExpires()
    {
        await using var mailDev = new MailDevServer();
        await mailDev.InitializeAsync();
        var time = new FakeTimeProvider();
        using var data = new TemporaryDirectory();
        using var check = new SmtpHealthCheck(
            Microsoft.Extensions.Options.Options.Create(new EmailOptions { Smtp = new SmtpSettings { Host = "127.0.0.1", Port = mailDev.SmtpPort } }),
            new StorageSettings(data.Path), time);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        await mailDev.StopAsync();
        var cached = await check.CheckHealthAsync(new HealthCheckContext());
        time.Advance(SmtpHealthCheck.CacheFor);
        var fresh = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, cached.Status);
        Assert.Equal(HealthStatus.Degraded, fresh.Status);
    }

    [Fact]
    public async Task SmtpCheck_PickupFolderCannotBeCreated_IsUnhealthy()
    {
        using var data = new TemporaryDirectory();
        // A file where the folder should be: no .eml file can be written there.
        var blocked = data.File("not-a-folder");
        await File.WriteAllTextAsync(blocked, "");
        using var check = new SmtpHealthCheck(
            Microsoft.Extensions.Options.Options.Create(new EmailOptions { PickupDirectory = blocked }), new StorageSettings(data.Path), TimeProvider.System);

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains($"the mail pickup folder {blocked} is not writable", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutboxCheck_DueEmailWaitsPastMaxLag_IsDegradedUntilSent()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await using var mailDev = new MailDevServer();
        await mailDev.InitializeAsync();
        await email.QueueToCustomerAsync(await email.AddCustomerAsync("waiting@example.nl"), "thank-you:waiting");
        var maxLag = email.Options.Dispatcher.MaxLag;

        email.Time.Advance(maxLag);
        var atTheLimit = await OutboxCheckAsync();
        email.Time.Advance(TimeSpan.FromMinutes(1));
        var late = await OutboxCheckAsync();
        using var transports = EmailHarness.Smtp(mailDev.SmtpPort);
        await EmailHarness.DrainAsync(email.Dispatcher(transports));
        var sent = await OutboxCheckAsync();

        Assert.Equal(HealthStatus.Healthy, atTheLimit.Status);
        Assert.Equal(HealthStatus.Degraded, late.Status);
        Assert.Contains("The oldest due email has waited 0.00:16:00", late.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, sent.Status);

        async Task<HealthCheckResult> OutboxCheckAsync()
        {
            await using var db = database.CreateContext();
            return await new OutboxHealthCheck(db, Microsoft.Extensions.Options.Options.Create(email.Options), email.Time)
                .CheckHealthAsync(new HealthCheckContext());
        }
    }

    public void Dispose() => _factory.Dispose();

    private static async Task<Dictionary<string, (string Status, string Description)>> ChecksAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(
            check => check.Name,
            check => (check.Value.GetProperty("status").GetString()!, check.Value.GetProperty("description").GetString()!));
    }
}
