using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace FeedbackHub.Data.Database;

/// <summary>Brings a database to the latest schema; used at start-up and by <c>feedbackhub migrate</c>.</summary>
public static class DatabaseMigrator
{
    /// <summary>
    /// Applies the missing migrations only (EF Core holds a database lock meanwhile, so several nodes
    /// starting together do not race) and returns their names.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(
        AppDbContext db, DatabaseSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            // On an empty database, asking for the applied migrations makes EF Core log a failed query.
            var history = db.GetService<IHistoryRepository>();
            var pending = await history.ExistsAsync(cancellationToken)
                ? (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList()
                : db.Database.GetMigrations().ToList();
            await db.Database.MigrateAsync(cancellationToken);
            if (settings.Provider == DatabaseProvider.Sqlite)
            {
                // Write-ahead logging lets readers (dashboards) work while a writer (import) runs.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            return pending;
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw Unavailable(settings, ex);
        }
    }

    /// <summary>
    /// Opens one plain connection (no EF logging), so an unreachable database stops start-up with one
    /// clear message before any other component tries and logs its own failure.
    /// </summary>
    public static async Task EnsureReachableAsync(DatabaseSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        DbConnection connection = settings.Provider == DatabaseProvider.Postgres
            ? new NpgsqlConnection(settings.ConnectionString)
            : new SqliteConnection(settings.ConnectionString);
        await using (connection)
        {
            try
            {
                await connection.OpenAsync(cancellationToken);
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                throw Unavailable(settings, ex);
            }
        }
    }

    private static DatabaseUnavailableException Unavailable(DatabaseSettings settings, Exception ex) =>
        new($"The database given by {DatabaseSettings.ConnectionStringKey} cannot be reached: " +
            $"{settings.DescribeTarget()}: {ex.GetBaseException().Message}", ex);

    private static bool IsConnectionFailure(Exception ex) => ex switch
    {
        // Invalid credentials (28xxx) or a missing database (3D000) mean the target is wrong, not the schema.
        PostgresException postgres => postgres.SqlState.StartsWith("28", StringComparison.Ordinal) || postgres.SqlState == "3D000",
        NpgsqlException or SocketException or TimeoutException => true,
        SqliteException { SqliteErrorCode: 14 /* SQLITE_CANTOPEN */ } => true,
        InvalidOperationException { InnerException: { } inner } => IsConnectionFailure(inner),
        _ => false,
    };
}

/// <summary>The configured database does not answer; the message names the setting and the target.</summary>
public sealed class DatabaseUnavailableException(string message, Exception innerException)
    : Exception(message, innerException);
