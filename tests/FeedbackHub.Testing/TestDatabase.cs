using FeedbackHub.Data;
using FeedbackHub.Data.Database;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Testing;

/// <summary>An empty database of one provider, of a test's own, with the app's real settings and migrations.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly TemporaryDirectory? _directory;

    private TestDatabase(DatabaseSettings settings, TemporaryDirectory? directory)
    {
        Settings = settings;
        _directory = directory;
    }

    public DatabaseSettings Settings { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, PostgresServer postgres)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        if (provider == DatabaseProvider.Postgres)
        {
            return new TestDatabase(new DatabaseSettings(provider, await postgres.CreateDatabaseAsync()), null);
        }

        var directory = new TemporaryDirectory();
        return new TestDatabase(new DatabaseSettings(provider, $"Data Source={directory.File("test.db")}"), directory);
    }

    /// <summary>An empty database with every migration applied.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(DatabaseProvider provider, PostgresServer postgres)
    {
        var database = await CreateAsync(provider, postgres);
        await (await database.CreateMigratedContextAsync()).DisposeAsync();
        return database;
    }

    public AppDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        Settings.Configure(options);
        return new AppDbContext(options.Options);
    }

    /// <summary>A context on a fully migrated database.</summary>
    public async Task<AppDbContext> CreateMigratedContextAsync()
    {
        var db = CreateContext();
        await DatabaseMigrator.MigrateAsync(db, Settings, CancellationToken.None);
        return db;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory?.Dispose();
    }
}
