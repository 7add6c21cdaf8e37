using System.Net;
using FeedbackHub.Data;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.ScaleOut.Tests;

/// <summary>
/// Two real FeedbackHub processes (node A and node B) on one real PostgreSQL database and one real
/// MailDev, set up the way the README tells an operator to: the command line migrates the database,
/// creates the admin and an API key first, then both nodes start together. A thank-you campaign runs,
/// and one customer has just churned, so that a node's exit-survey job invites them. The jobs the
/// tests watch fire every two or three seconds instead of nightly. Every process is killed at the end.
/// </summary>
public sealed class TwoNodeCluster : IAsyncLifetime, IDisposable
{
    public const string AdminEmail = "admin@feedbackhub.example";
    public const string AdminPassword = "two nodes, one database 42";
    public const string ChurnedCustomerEmail = "churned@survey.example";

    /// <summary>The jobs fired often during the test (Quartz cron, seconds first), each on its own beat.</summary>
    public static readonly IReadOnlyDictionary<string, string> FrequentJobs = new Dictionary<string, string>
    {
        ["exit-surveys"] = "0/2 * * * * ?",
        ["reason-classification"] = "1/2 * * * * ?",
        ["outbox-housekeeping"] = "0/3 * * * * ?",
        ["import-uploads-cleanup"] = "1/3 * * * * ?",
        ["churn-detection"] = "2/3 * * * * ?",
    };

    private readonly TemporaryDirectory _work = new("feedbackhub-scale-out-");
    private readonly PostgresServer _postgres = new();

    public MailDevServer MailDev { get; } = new();

    public WebAppProcess NodeA { get; private set; } = null!;

    public WebAppProcess NodeB { get; private set; } = null!;

    public IReadOnlyList<WebAppProcess> Nodes => [NodeA, NodeB];

    public DatabaseSettings Database { get; private set; } = null!;

    /// <summary>An API key with the ingest scope, made by the command line.</summary>
    public string IngestKey { get; private set; } = "";

    /// <summary>Both nodes' output, for a failing test's message.</summary>
    public string Output => string.Join("\n\n", Nodes.Where(n => n is not null).Select(n => $"===== {n.Name} ({n.BaseAddress})\n{n.Output}"));

    public AppDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        Database.Configure(options);
        return new AppDbContext(options.Options);
    }

    /// <summary>A client for one node that keeps no cookies of its own and follows no redirects.</summary>
    public static HttpClient Client(WebAppProcess node, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = cookies is not null, CookieContainer = cookies ?? new CookieContainer() })
        {
            BaseAddress = node.BaseAddress,
        };

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_postgres.InitializeAsync(), MailDev.InitializeAsync());
        var connectionString = await _postgres.CreateDatabaseAsync();
        Database = new DatabaseSettings(DatabaseProvider.Postgres, connectionString);
        var cli = Environment(connectionString, "cli");
        await WebAppProcess.CliAsync(cli, _work.Path, ["migrate"]);
        // The admin's creation also writes the first data-protection key, so both nodes start on one key ring.
        await WebAppProcess.CliAsync(cli, _work.Path, ["users", "create-admin", "--email", AdminEmail, "--password-stdin"], AdminPassword + "\n");
        IngestKey = await WebAppProcess.CreateApiKeyAsync(cli, _work.Path, "ingest");
        await SeedAsync();

        var starting = new[] { ("node A", "a"), ("node B", "b") }
            .Select(node => WebAppProcess.StartAsync(Environment(connectionString, node.Item2), _work.Path, node.Item1)).ToArray();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            // Kill whichever did start; the failure message carries the other's output.
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }

        (NodeA, NodeB) = (starting[0].Result, starting[1].Result);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Nodes.Where(n => n is not null))
        {
            await node.DisposeAsync();
        }

        await MailDev.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>Removes the folders, also when start-up failed half-way (xunit calls this after <see cref="DisposeAsync"/>).</summary>
    public void Dispose()
    {
        _postgres.Dispose();
        MailDev.Dispose();
        _work.Dispose();
    }

    /// <summary>The settings of one process, as environment variables; each node has a data folder of its own.</summary>
    private Dictionary<string, string?> Environment(string connectionString, string name)
    {
        var environment = new Dictionary<string, string?>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__FeedbackHub"] = connectionString,
            ["Storage__DataDirectory"] = _work.File(name),
            ["Email__Smtp__Host"] = "127.0.0.1",
            ["Email__Smtp__Port"] = $"{MailDev.SmtpPort}",
            ["Email__FromAddress"] = "shop@feedbackhub.example",
            ["Email__PostalAddress"] = "Voorbeeldstraat 1, 1234 AB Amsterdam",
            // The test runs at any hour: no quiet hours, or the emails would wait for the morning.
            ["Email__Consent__QuietHoursStart"] = "00:00",
            ["Email__Consent__QuietHoursEnd"] = "00:00",
            ["Email__Dispatcher__PollInterval"] = "00:00:01",
            // One line per entry, so the test can read the jobs' and dispatchers' logs back.
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (job, cron) in FrequentJobs)
        {
            environment[$"Scheduler__Cron__{job}"] = cron;
        }

        return environment;
    }

    /// <summary>A first-order thank-you campaign (no hold-out, so every order is thanked with a code) and one customer who just cancelled.</summary>
    private async Task SeedAsync()
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = CreateContext();
        var campaign = new Campaign
        {
            Name = "Scale-out thank-you", CodePrefix = "TWO", Status = CampaignStatus.Active, DiscountKind = DiscountKind.Percentage,
            DiscountValue = 10, Qualifying = QualifyingOrders.FirstOrder, HoldoutShare = 0, StartsAt = now.AddDays(-1), CreatedAt = now, UpdatedAt = now,
        };
        campaign.Variants.Add(new CampaignVariant { Name = "A", Weight = 1 });
        db.Campaigns.Add(campaign);
        var customer = new Customer
        {
            ExternalId = "churned", Email = ChurnedCustomerEmail, FirstName = "Sam", Locale = CustomerLocales.English, MarketingConsent = true,
            CreatedAt = now, UpdatedAt = now,
        };
        db.ChurnEvents.Add(new ChurnEvent
        {
            Customer = customer, Kind = ChurnKind.SubscriptionCancelled, ReferenceAt = now.AddHours(-1), ChurnedAt = now.AddHours(-1), OpenedAt = now,
            Explanation = "subscription cancelled today",
        });
        await db.SaveChangesAsync();
    }
}
