using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FeedbackHub.Data.Database;

/// <summary>
/// Per-connection SQLite settings. The database runs in WAL mode (set once by the migrator), where
/// <c>synchronous=NORMAL</c> is SQLite's own recommendation: a commit survives the process being
/// killed, and only a power cut can undo the last few commits. The default (FULL) syncs the disk on
/// every commit, which made each outbox result cost more than sending the email.
/// <para>
/// A writer that finds the write lock taken waits inside SQLite (<c>busy_timeout</c>, as long as the
/// connection's <c>Default Timeout</c>), which retries after 1, 2, 5, 10… ms. Without it, the driver
/// gets SQLITE_BUSY at once and sleeps 150 ms before each retry, so two survey submissions or two
/// redemptions meeting at the lock made the second one wait 150 ms for a lock held well under 1 ms.
/// </para>
/// <para>
/// <c>temp_store=MEMORY</c> keeps ingest's staging tables in memory. It is set here, outside any
/// transaction, because SQLite refuses to change it inside one once the connection has touched its
/// temporary database, which any table rebuild in a migration (ALTER TABLE … RENAME) does.
/// </para>
/// </summary>
internal sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    public static SqliteConnectionSettings Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Pragmas(connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Pragmas(DbConnection connection)
    {
        // Default Timeout is in seconds; its 0 (wait for ever) turns SQLite's waiting off and leaves it to the driver's retries.
        var seconds = connection is SqliteConnection sqlite ? sqlite.DefaultTimeout : 30;
        return string.Create(CultureInfo.InvariantCulture, $"PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA busy_timeout={seconds * 1000L};");
    }
}
