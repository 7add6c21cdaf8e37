using Microsoft.Data.Sqlite;
using Npgsql;

namespace FeedbackHub.Benchmarks;

/// <summary>
/// The fastest way each database offers to take rows in: one prepared INSERT in one transaction
/// (SQLite) and binary COPY (PostgreSQL). The import floors measure with these.
/// </summary>
internal static class BulkInsert
{
    /// <summary>Inserts the rows with one prepared statement in one transaction; <paramref name="bind"/> sets the parameters in column order.</summary>
    public static void Sqlite<T>(SqliteConnection connection, string table, IReadOnlyList<string> columns, IEnumerable<T> rows, Action<T, SqliteParameter[]> bind)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        var parameters = columns.Select((_, i) => insert.Parameters.Add($"$p{i}", SqliteType.Text)).ToArray();
        insert.Prepare();
        foreach (var row in rows)
        {
            bind(row, parameters);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Copies the rows in PostgreSQL's binary format; <paramref name="write"/> writes one row's values in column order.</summary>
    public static async Task PostgresAsync<T>(
        NpgsqlConnection connection, string table, IReadOnlyList<string> columns, IEnumerable<T> rows, Func<NpgsqlBinaryImporter, T, Task> write)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await copy.StartRowAsync();
            await write(copy, row);
        }

        await copy.CompleteAsync();
    }
}
