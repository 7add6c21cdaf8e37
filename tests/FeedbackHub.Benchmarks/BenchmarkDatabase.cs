using FeedbackHub.Data;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Database;
using FeedbackHub.Web.Features.Staff;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FeedbackHub.Benchmarks;

/// <summary>Direct access to the database a CLI or web-app process uses, for setting up rows and checking results.</summary>
internal static class BenchmarkDatabase
{
    /// <summary>Settings for a process that keeps its SQLite database (and data-protection keys) in <paramref name="dataDirectory"/>, on top of <paramref name="extra"/>.</summary>
    public static Dictionary<string, string?> SqliteEnvironment(string dataDirectory, IReadOnlyDictionary<string, string?>? extra = null) =>
        new(extra ?? new Dictionary<string, string?>()) { ["Storage__DataDirectory"] = dataDirectory };

    /// <summary>Settings for a process on a fresh database of <paramref name="postgres"/>, on top of <paramref name="extra"/>.</summary>
    public static async Task<Dictionary<string, string?>> PostgresEnvironmentAsync(
        PostgresServer postgres, string dataDirectory, IReadOnlyDictionary<string, string?>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        var environment = SqliteEnvironment(dataDirectory, extra);
        environment["Database__Provider"] = "Postgres";
        environment["ConnectionStrings__FeedbackHub"] = await postgres.CreateDatabaseAsync();
        return environment;
    }

    /// <summary>Prints each problem a run found on standard error; the exit code is 0 without any, else 1.</summary>
    public static int ExitCode(IEnumerable<string> problems)
    {
        var count = 0;
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"error: {problem}");
            count++;
        }

        return count == 0 ? 0 : 1;
    }

    /// <summary>The database the app reads from these environment variables (<c>Section__Key</c>), exactly as it would resolve them.</summary>
    public static DatabaseSettings Settings(IReadOnlyDictionary<string, string?> environment)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Configuration(environment)).Build();
        return DatabaseSettings.FromConfiguration(configuration, StorageSettings.FromConfiguration(configuration));
    }

    /// <summary>
    /// Gives the installation its first data-protection key, as the web app's first sign-in or
    /// invitation would, through the app's own registration (key ring stored in the database).
    /// Without it, the first thank-you's unsubscribe link creates the key through a second
    /// connection while the import's transaction holds SQLite's only write lock: "database is locked".
    /// </summary>
    public static void EnsureDataProtectionKey(IReadOnlyDictionary<string, string?> environment)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(Configuration(environment));
        builder.AddAppDatabase();
        builder.Services.AddLogging();
        builder.Services.AddStaffIdentityCore();
        using var host = builder.Build();
        host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("FeedbackHub.Benchmarks.KeyRing").Protect([]);
    }

    private static IEnumerable<KeyValuePair<string, string?>> Configuration(IReadOnlyDictionary<string, string?> environment) =>
        environment.Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), p.Value));

    public static AppDbContext Context(DatabaseSettings settings)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        settings.Configure(options);
        return new AppDbContext(options.Options);
    }

    /// <summary>
    /// An active first-order campaign that started yesterday: 10 % hold-out (thanked without a code),
    /// and an A/B test of 10 % (A) against 15 % (B) off.
    /// </summary>
    public static Campaign ThankYouCampaign(DateTimeOffset now)
    {
        var campaign = new Campaign
        {
            Name = "Benchmark thank-you",
            CodePrefix = "THX",
            Status = CampaignStatus.Active,
            DiscountKind = DiscountKind.Percentage,
            DiscountValue = 10,
            Qualifying = QualifyingOrders.FirstOrder,
            HoldoutShare = 0.1m,
            HoldoutTreatment = HoldoutTreatment.ThankYouWithoutCode,
            StartsAt = now.AddDays(-1),
            CreatedAt = now,
            UpdatedAt = now,
        };
        campaign.Variants.Add(new CampaignVariant { Name = "A", Weight = 1 });
        campaign.Variants.Add(new CampaignVariant { Name = "B", Weight = 1, DiscountKind = DiscountKind.Percentage, DiscountValue = 15 });
        return campaign;
    }
}
