using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FeedbackHub.Data.Database;

/// <summary>
/// Per-connection SQLite settings. The database runs in WAL mode (set once by the migrator), where
/// <c>synchronous=NORMAL</c> is SQLite's own recommendation: a commit survives the process being
/// killed, and only a power cut can undo the last few commits. The default (FULL) syncs the disk on
/// every commit, which made each outbox result cost more than sending the email.
/// <c>temp_store=MEMORY</c> keeps ingest's staging tables in memory. It is set here, outside any
/// transaction, because SQLite refuses to change it inside one once the connection has touched its
/// temporary database, which any table rebuild in a migration (ALTER TABLE … RENAME) does.
/// </summary>
internal sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;";

    public static SqliteConnectionSettings Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
