using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FeedbackHub.Data.Tests;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresServer postgres)
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Model_ForEachProvider_HasNoChangesWithoutMigration(DatabaseProvider provider)
    {
        // Fails when an entity or configuration changed but nobody ran 'dotnet ef migrations add' for this provider.
        using var database = await TestDatabase.CreateAsync(provider, postgres);
        await using var db = database.CreateContext();

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The {provider} model has changes without a migration: add one in migrations/FeedbackHub.Migrations.{provider}.");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Migrate_OnEmptyDatabase_AppliesEveryMigration(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider, postgres);
        await using var db = database.CreateContext();
        var all = db.Database.GetMigrations().ToList();

        var applied = await DatabaseMigrator.MigrateAsync(db, database.Settings, CancellationToken.None);

        Assert.NotEmpty(all);
        Assert.Equal(all, applied);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(3, await db.Roles.CountAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Migrate_SecondTime_AppliesNothingAndKeepsData(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider, postgres);
        await using (var first = await database.CreateMigratedContextAsync())
        {
            first.Customers.Add(new Customer { ExternalId = "kept-1", Email = "kept@example.com", CreatedAt = DateTimeOffset.UtcNow });
            await first.SaveChangesAsync();
        }

        await using var second = database.CreateContext();
        var applied = await DatabaseMigrator.MigrateAsync(second, database.Settings, CancellationToken.None);

        Assert.Empty(applied);
        Assert.Equal("kept@example.com", (await second.Customers.SingleAsync(c => c.ExternalId == "kept-1")).Email);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Migrate_ForEachProvider_CreatesTheQuartzTablesAndRemovesThemOnRollback(DatabaseProvider provider)
    {
        string[] expected =
        [
            "QRTZ_BLOB_TRIGGERS", "QRTZ_CALENDARS", "QRTZ_CRON_TRIGGERS", "QRTZ_FIRED_TRIGGERS", "QRTZ_JOB_DETAILS", "QRTZ_LOCKS",
            "QRTZ_PAUSED_TRIGGER_GRPS", "QRTZ_SCHEDULER_STATE", "QRTZ_SIMPLE_TRIGGERS", "QRTZ_SIMPROP_TRIGGERS", "QRTZ_TRIGGERS",
        ];
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using var db = database.CreateContext();
        var migrations = db.Database.GetMigrations().ToList();
        var quartz = migrations.Single(m => m.EndsWith("_QuartzJobStore", StringComparison.Ordinal));

        Assert.Equal(expected, await QuartzTablesAsync(db, provider));

        await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.IndexOf(quartz) - 1]);
        Assert.Empty(await QuartzTablesAsync(db, provider));
        await db.Database.MigrateAsync();
        Assert.Equal(expected, await QuartzTablesAsync(db, provider));
    }

    [Fact]
    public async Task Migrate_SqliteWithSurveyAnswers_AddsTheComputedReasonToExistingRows()
    {
        // SQLite refuses to add a STORED generated column to a table with rows; an install with answers must still upgrade.
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, postgres);
        await using var db = database.CreateContext();
        var migrations = db.Database.GetMigrations().ToList();
        await db.GetService<IMigrator>().MigrateAsync(migrations.Single(m => m.EndsWith("_ChurnAndSurveys", StringComparison.Ordinal)));
        foreach (var sql in new[]
        {
            "INSERT INTO \"Customers\" (\"Id\", \"ExternalId\", \"Email\", \"Locale\", \"TimeZone\", \"MarketingConsent\", \"CreatedAt\", \"UpdatedAt\") VALUES (1, 'c-1', 'a@example.com', 'en', 'Europe/Amsterdam', 0, 1, 1)",
            "INSERT INTO \"ChurnEvents\" (\"Id\", \"CustomerId\", \"Kind\", \"ReferenceAt\", \"ChurnedAt\", \"OpenedAt\", \"Explanation\") VALUES (1, 1, 'SubscriptionCancelled', 1, 1, 1, 'x')",
            "INSERT INTO \"SurveyVersions\" (\"Id\", \"Number\", \"Definition\", \"CreatedAt\", \"CreatedBy\") VALUES (1, 1, '{{}}', 1, 'system')",
            "INSERT INTO \"SurveyInvitations\" (\"Id\", \"ChurnEventId\", \"CustomerId\", \"TokenHash\", \"Locale\", \"CreatedAt\", \"ExpiresAt\") VALUES (1, 1, 1, 'h', 'en', 1, 2)",
            "INSERT INTO \"SurveyResponses\" (\"Id\", \"InvitationId\", \"CustomerId\", \"SurveyVersionId\", \"Locale\", \"Reason\", \"Comment\", \"SubmittedAt\", \"WinBackGroup\") VALUES (1, 1, 1, 1, 'en', 'price', 'too dear', 1, 'None')",
        })
        {
            await db.Database.ExecuteSqlRawAsync(sql);
        }

        await db.Database.MigrateAsync();

        var response = await db.SurveyResponses.AsNoTracking().SingleAsync();
        Assert.Equal(("price", "too dear", (string?)null), (response.EffectiveReason, response.Comment, response.HumanReason));
        await db.SurveyResponses.ExecuteUpdateAsync(s => s.SetProperty(r => r.PredictedReason, "other"));
        Assert.Equal("other", await db.SurveyResponses.Select(r => r.EffectiveReason).SingleAsync());
    }

    [Fact]
    public async Task Migrate_UnreachablePostgres_NamesTheConnectionSetting()
    {
        var settings = new DatabaseSettings(DatabaseProvider.Postgres, "Host=127.0.0.1;Port=1;Database=none;Username=x;Timeout=2");
        var options = new DbContextOptionsBuilder<AppDbContext>();
        settings.Configure(options);
        await using var db = new AppDbContext(options.Options);

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(
            () => DatabaseMigrator.MigrateAsync(db, settings, CancellationToken.None));

        Assert.Contains(DatabaseSettings.ConnectionStringKey, error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<string>> QuartzTablesAsync(AppDbContext db, DatabaseProvider provider)
    {
        // PostgreSQL folds the unquoted names Quartz uses to lower case; SQLite keeps them as written.
        var sql = provider == DatabaseProvider.Postgres
            ? "SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public' AND left(table_name, 5) = 'qrtz_'"
            : "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 5) = 'QRTZ_'";
        var tables = await db.Database.SqlQueryRaw<string>(sql).ToListAsync();
        return [.. tables.Select(t => t.ToUpperInvariant()).Order(StringComparer.Ordinal)];
    }
}
