using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Data.Tests;

public sealed class SqliteConnectionSettingsTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Theory]
    [InlineData("", 30_000)]
    [InlineData(";Default Timeout=7", 7_000)]
    public async Task OpenedConnection_WaitsInsideSqliteForTheWriteLock_AsLongAsItsDefaultTimeout(string timeout, long expectedMilliseconds)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={_directory.File("test.db")}{timeout}").Configure(options);
        await using var db = new AppDbContext(options.Options);

        await db.Database.OpenConnectionAsync();

        Assert.Equal(expectedMilliseconds, await PragmaAsync(db, "busy_timeout"));
        Assert.Equal(1L, await PragmaAsync(db, "synchronous")); // NORMAL
        // Set here, outside any transaction: inside one SQLite refuses once a migration's rebuild touched the temporary database.
        Assert.Equal(2L, await PragmaAsync(db, "temp_store")); // MEMORY
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private static async Task<long> PragmaAsync(AppDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
