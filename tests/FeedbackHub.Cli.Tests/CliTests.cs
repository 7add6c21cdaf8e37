using System.Net;
using FeedbackHub.Data;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Cli.Tests;

[Collection(PostgresCollection.Name)]
public sealed class CliTests(PostgresServer postgres) : IDisposable
{
    private const string GoodPassword = "saffron lighthouse pebble orbit";
    private readonly TemporaryDirectory _data = new();

    [Fact]
    public async Task Migrate_FreshThenAgain_AppliesOnceAndSaysSoLast()
    {
        var cli = new CliRunner(_data.Path);

        var first = await cli.RunAsync(["migrate"]);
        var second = await cli.RunAsync(["migrate"]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("ok", CliRunner.ParseSummary(first)["status"]);
        Assert.NotEqual("0", CliRunner.ParseSummary(first)["applied"]);
        Assert.Equal("0", CliRunner.ParseSummary(second)["applied"]);
        Assert.True(File.Exists(Path.Combine(_data.Path, "feedbackhub.db")));
    }

    [Fact]
    public async Task Migrate_OnRealPostgres_AppliesEverything()
    {
        var cli = new CliRunner(_data.Path, new Dictionary<string, string?>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__FeedbackHub"] = await postgres.CreateDatabaseAsync(),
        });

        var result = await cli.RunAsync(["migrate"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Postgres", CliRunner.ParseSummary(result)["provider"]);
    }

    [Fact]
    public async Task AnyVerb_WithUnknownProvider_ExitsNonZeroNamingTheSetting()
    {
        var cli = new CliRunner(_data.Path, new Dictionary<string, string?> { ["Database__Provider"] = "Access" });

        var result = await cli.RunAsync(["migrate"]);

        Assert.Equal(1, result.ExitCode);
        var summary = CliRunner.ParseSummary(result);
        Assert.Equal("failed", summary["status"]);
        Assert.Contains("Database:Provider", summary["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAdmin_WithoutPassword_PrintsALinkTheWebAppAccepts()
    {
        var result = await new CliRunner(_data.Path).RunAsync(["users", "create-admin", "--email", "founder@example.com", "--name", "The Founder"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = CliRunner.ParseSummary(result);
        Assert.Equal("founder@example.com", summary["email"]);
        var link = new Uri(summary["invite_url"]);
        Assert.StartsWith("http://localhost:5000/account/accept-invitation?", link.AbsoluteUri, StringComparison.Ordinal);

        // The link is made by the CLI and redeemed by the web app: both share the data-protection keys in the database.
        using var web = new FeedbackHubFactory(_data.Path);
        using var session = new BrowserSession(web.CreateBrowserLikeClient());
        using var accepted = await session.AcceptInvitationAsync(link.PathAndQuery, GoodPassword);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        using var login = await session.LogInAsync("founder@example.com", GoodPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains("founder@example.com", await session.GetPageAsync("/admin/staff"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAdmin_WithPasswordOnStdin_CanLogInAtOnce()
    {
        var result = await new CliRunner(_data.Path).RunAsync(
            ["users", "create-admin", "--email", "ops@example.com", "--password-stdin"], standardInput: GoodPassword + "\n");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(CliRunner.ParseSummary(result).ContainsKey("invite_url"));
        using var web = new FeedbackHubFactory(_data.Path);
        await using var scope = web.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var admin = await users.FindByEmailAsync("ops@example.com");
        Assert.True(await users.CheckPasswordAsync(admin!, GoodPassword));
        Assert.True(await users.IsInRoleAsync(admin!, StaffRoles.Admin));
    }

    [Theory]
    [InlineData("password1234", "too common")]
    [InlineData("short", "at least 12")]
    public async Task CreateAdmin_WithWeakPassword_FailsAndCreatesNobody(string password, string expected)
    {
        var result = await new CliRunner(_data.Path).RunAsync(
            ["users", "create-admin", "--email", "ops@example.com", "--password-stdin"], standardInput: password + "\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, CliRunner.ParseSummary(result)["error"], StringComparison.OrdinalIgnoreCase);
        using var web = new FeedbackHubFactory(_data.Path);
        await using var scope = web.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.CountAsync());
    }

    [Fact]
    public async Task CreateAdmin_ExistingEmail_FailsWithReason()
    {
        var cli = new CliRunner(_data.Path);
        await cli.RunAsync(["users", "create-admin", "--email", "twice@example.com"]);

        var second = await cli.RunAsync(["users", "create-admin", "--email", "twice@example.com"]);

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already exists", CliRunner.ParseSummary(second)["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAdmin_WithoutEmail_IsAUsageErrorWithSummary()
    {
        var result = await new CliRunner(_data.Path).RunAsync(["users", "create-admin"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("failed", CliRunner.ParseSummary(result)["status"]);
        Assert.Contains("--email", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeysCreate_PrintsASecretTheApiAccepts()
    {
        var result = await new CliRunner(_data.Path).RunAsync(["apikeys", "create", "--name", "Webshop", "--scopes", "ingest,read"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = CliRunner.ParseSummary(result);
        Assert.Equal("ingest,read", summary["scopes"]);
        Assert.EndsWith("secret=" + summary["secret"], result.LastOutputLine, StringComparison.Ordinal);
        using var web = new FeedbackHubFactory(_data.Path);
        using var client = web.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", summary["secret"]);
        using var response = await client.GetAsync(new Uri("/api/v1/customers/nobody", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ApiKeysCreate_UnknownScope_FailsWithReason()
    {
        var result = await new CliRunner(_data.Path).RunAsync(["apikeys", "create", "--name", "Webshop", "--scopes", "ingest,admin"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Unknown scope(s): admin", CliRunner.ParseSummary(result)["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_CleanFile_ExitsZeroWithExactSummaryLine()
    {
        var file = Path.Combine(_data.Path, "customers.csv");
        await File.WriteAllTextAsync(file, "external_id,email\nc-1,a@example.nl\nc-2,b@example.nl\n");

        var result = await new CliRunner(_data.Path).RunAsync(["import", "customers", file]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("inserted=2 updated=0 unchanged=0 rejected=0", result.LastOutputLine);
    }

    [Fact]
    public async Task Import_WithRejectedRows_ExitsNonZeroAndNamesTheReport()
    {
        var file = Path.Combine(_data.Path, "customers.csv");
        await File.WriteAllTextAsync(file, "external_id,email\nc-1,a@example.nl\nc-2,not-an-email\n");

        var result = await new CliRunner(_data.Path).RunAsync(["import", "customers", file]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("inserted=1 updated=0 unchanged=0 rejected=1", result.LastOutputLine);
        Assert.Contains("line 3", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("-rejected.csv", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_EmptyFile_FailsWithOneMessage()
    {
        var file = Path.Combine(_data.Path, "empty.csv");
        await File.WriteAllTextAsync(file, "");

        var result = await new CliRunner(_data.Path).RunAsync(["import", "orders", file]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("The file is empty.", CliRunner.ParseSummary(result)["error"]);
    }

    [Fact]
    public async Task Import_KilledMidway_LeavesWholeRowsAndARerunCompletesIt()
    {
        var customers = Path.Combine(_data.Path, "customers.csv");
        await File.WriteAllTextAsync(customers, "external_id,email\nc-1,a@example.nl\n");
        var cli = new CliRunner(_data.Path);
        Assert.Equal(0, (await cli.RunAsync(["import", "customers", customers])).ExitCode);
        const int rows = 200_000;
        var orders = Path.Combine(_data.Path, "orders.csv");
        await using (var writer = new StreamWriter(orders))
        {
            await writer.WriteLineAsync("external_id,customer_external_id,placed_at,total,currency,item_count");
            for (var i = 0; i < rows; i++)
            {
                await writer.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"o-{i},c-1,2026-10-01,{i % 500}.25,EUR,{1 + (i % 4)}"));
            }
        }

        // Kill the import once some chunks are stored.
        var killed = await cli.KillWhenAsync(["import", "orders", orders], async () =>
        {
            await using var db = Database();
            return await db.Orders.AnyAsync();
        });
        Assert.True(killed, "The import finished before it could be killed; make the file larger.");

        await using (var db = Database())
        {
            var stored = await db.Orders.CountAsync();
            Assert.InRange(stored, 1, rows - 1);
            Assert.Equal(0, stored % FeedbackHub.Web.Features.Import.CsvImporter.ChunkSize);
            Assert.Equal(0, await db.Orders.CountAsync(o => o.ItemCount < 1 || o.Currency != "EUR"));
        }

        var rerun = await cli.RunAsync(["import", "orders", orders]);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        var summary = CliRunner.ParseSummary(rerun);
        Assert.Equal(rows, int.Parse(summary["inserted"], System.Globalization.CultureInfo.InvariantCulture)
            + int.Parse(summary["unchanged"], System.Globalization.CultureInfo.InvariantCulture));
        await using var check = Database();
        Assert.Equal(rows, await check.Orders.CountAsync());
    }

    [Fact]
    public async Task SeedDemo_TwiceWithSameSettings_SeedsOnceAndReportsCounts()
    {
        var cli = new CliRunner(_data.Path);

        var first = await cli.RunAsync(["seed-demo", "--customers", "200", "--as-of", "2026-11-01"]);
        var second = await cli.RunAsync(["seed-demo", "--customers", "200", "--as-of", "2026-11-01"]);

        Assert.True(first.ExitCode == 0, first.ToString());
        var summary = CliRunner.ParseSummary(first);
        Assert.Equal(("ok", "200"), (summary["status"], summary["customers"]));
        Assert.True(int.Parse(summary["orders"], System.Globalization.CultureInfo.InvariantCulture) > 400);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal("already-present", CliRunner.ParseSummary(second)["status"]);
    }

    [Fact]
    public async Task SeedDemo_OnRealPostgres_SeedsTheSameData()
    {
        var sqlite = await new CliRunner(_data.Path).RunAsync(["seed-demo", "--customers", "100", "--seed", "5", "--as-of", "2026-11-01"]);
        using var other = new TemporaryDirectory();
        var postgresRun = await new CliRunner(other.Path, new Dictionary<string, string?>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__FeedbackHub"] = await postgres.CreateDatabaseAsync(),
        }).RunAsync(["seed-demo", "--customers", "100", "--seed", "5", "--as-of", "2026-11-01"]);

        Assert.True(postgresRun.ExitCode == 0, postgresRun.ToString());
        var (a, b) = (CliRunner.ParseSummary(sqlite), CliRunner.ParseSummary(postgresRun));
        string[] counts = ["orders", "subscription_events", "churn_events", "survey_invitations", "survey_responses", "discount_codes"];
        Assert.Equal(counts.Select(c => a[c]), counts.Select(c => b[c]));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1000001")]
    public async Task SeedDemo_CustomersOutOfRange_IsRefused(string customers)
    {
        var result = await new CliRunner(_data.Path).RunAsync(["seed-demo", "--customers", customers]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--customers must be between 1 and", CliRunner.ParseSummary(result)["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsList_AfterTheWebAppRan_ShowsEveryJobWithItsNextFireTime()
    {
        var cli = new CliRunner(_data.Path);
        var before = await cli.RunAsync(["jobs", "list"]);
        using (var web = new FeedbackHubFactory(_data.Path))
        {
            // Starting the app stores the jobs and their triggers.
            using var client = web.CreateClient();
        }

        var after = await cli.RunAsync(["jobs", "list"]);

        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Contains("state=\"not scheduled\"", before.StandardOutput, StringComparison.Ordinal);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal("status=ok jobs=7", after.LastOutputLine);
        var jobs = JobLines(after);
        Assert.Equal(["churn-detection", "exit-surveys", "import-uploads-cleanup", "outbox-housekeeping", "reason-classification", "reason-retraining", "survey-text-retention"], jobs.Select(j => j["name"]).Order());
        Assert.All(jobs, job => Assert.Equal("waiting", job["state"]));
        // The ten-minute survey job and the one-minute classification catch-up may just have fired while the app ran; the nightly and hourly ones cannot have.
        Assert.All(jobs.Where(j => j["name"] is not ("exit-surveys" or "reason-classification")), job => Assert.Equal("never", job["last"]));
        var housekeeping = jobs.Single(j => j["name"] == "outbox-housekeeping");
        var next = DateTimeOffset.Parse(housekeeping["next"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((3, 30, TimeSpan.Zero), (next.Hour, next.Minute, next.Offset));
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromDays(1));
        Assert.Equal(("nightly at 03:30 UTC", "0 30 3 * * ?"), (housekeeping["schedule"], housekeeping["cron"]));
        Assert.Contains("SentEmailBodyDays", housekeeping["description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsList_OnRealPostgres_ReadsTheClusteredStore()
    {
        var cli = new CliRunner(_data.Path, new Dictionary<string, string?>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__FeedbackHub"] = await postgres.CreateDatabaseAsync(),
        });

        var result = await cli.RunAsync(["jobs", "list"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("status=ok jobs=7", result.LastOutputLine);
    }

    [Fact]
    public async Task JobsRun_OutboxHousekeeping_EmptiesOldBodiesAndSaysHowMany()
    {
        var cli = new CliRunner(_data.Path);
        Assert.Equal(0, (await cli.RunAsync(["migrate"])).ExitCode);
        await using (var db = Database())
        {
            var longAgo = DateTimeOffset.UtcNow.AddDays(-120);
            db.OutboxEmails.AddRange(
                OutboxEmail("old", FeedbackHub.Data.Email.OutboxStatus.Sent, longAgo),
                OutboxEmail("recent", FeedbackHub.Data.Email.OutboxStatus.Sent, DateTimeOffset.UtcNow.AddDays(-3)));
            await db.SaveChangesAsync();
        }

        var result = await cli.RunAsync(["jobs", "run", "outbox-housekeeping"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = CliRunner.ParseSummary(result);
        Assert.Equal(("ok", "outbox-housekeeping", "1"), (summary["status"], summary["job"], summary["emptied"]));
        Assert.True(summary.ContainsKey("seconds"));
        await using var check = Database();
        Assert.Equal(["", "<p>recent</p>"], await check.OutboxEmails.OrderBy(e => e.IdempotencyKey).Select(e => e.HtmlBody).ToListAsync());
    }

    [Fact]
    public async Task JobsRun_ReasonRetrainingOnAFreshInstall_SkipsAndSaysWhy()
    {
        var cli = new CliRunner(_data.Path);

        var result = await cli.RunAsync(["jobs", "run", "reason-retraining"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = CliRunner.ParseSummary(result);
        Assert.Equal(("ok", "reason-retraining", "0", "1"), (summary["status"], summary["job"], summary["promoted"], summary["skipped"]));
        Assert.Contains("Only 0 labelled answer(s) are held out for judging", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsRun_ImportUploadsCleanup_DeletesUploadsOlderThanADay()
    {
        var uploads = Directory.CreateDirectory(Path.Combine(_data.Path, "imports")).FullName;
        var old = Path.Combine(uploads, "old.csv");
        var fresh = Path.Combine(uploads, "fresh.csv");
        await File.WriteAllTextAsync(old, "external_id,email\n");
        await File.WriteAllTextAsync(fresh, "external_id,email\n");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-30));

        var result = await new CliRunner(_data.Path).RunAsync(["jobs", "run", "import-uploads-cleanup"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = CliRunner.ParseSummary(result);
        Assert.Equal(("1", "1"), (summary["deleted"], summary["kept"]));
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task JobsRun_UnknownName_FailsNamingTheKnownJobs()
    {
        var result = await new CliRunner(_data.Path).RunAsync(["jobs", "run", "outbox-cleanup"]);

        Assert.Equal(1, result.ExitCode);
        var error = CliRunner.ParseSummary(result)["error"];
        Assert.Contains("no job named 'outbox-cleanup'", error, StringComparison.Ordinal);
        Assert.Contains("outbox-housekeeping, import-uploads-cleanup", error, StringComparison.Ordinal);
    }

    private static List<Dictionary<string, string>> JobLines(ProcessResult result) =>
    [
        .. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("name=", StringComparison.Ordinal))
            .Select(line => CliRunner.ParseSummary(new ProcessResult(0, line, ""))),
    ];

    private static FeedbackHub.Data.Email.OutboxEmail OutboxEmail(string key, FeedbackHub.Data.Email.OutboxStatus status, DateTimeOffset sentAt) => new()
    {
        IdempotencyKey = key,
        MessageId = $"{key}@feedbackhub.test",
        Status = status,
        ToAddress = $"{key}@example.nl",
        Subject = key,
        HtmlBody = $"<p>{key}</p>",
        TextBody = key,
        CreatedAt = sentAt,
        NotBefore = sentAt,
        SentAt = sentAt,
    };

    private AppDbContext Database()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        new FeedbackHub.Data.Database.DatabaseSettings(FeedbackHub.Data.Database.DatabaseProvider.Sqlite,
            $"Data Source={Path.Combine(_data.Path, "feedbackhub.db")}").Configure(options);
        return new AppDbContext(options.Options);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }
}
