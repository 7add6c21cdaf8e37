using Microsoft.Data.Sqlite;
using Npgsql;

namespace FeedbackHub.Benchmarks;

/// <summary>
/// The fastest way each database offers to take rows in: one prepared INSERT in one transaction
/// (SQLite) and binary COPY (PostgreSQL). The import floors measure with these; other benchmarks
/// fill their databases with them.
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

    /// <summary>
    /// Runs <paramref name="load"/> with the tables' secondary indexes dropped, then creates them again
    /// from the definitions SQLite stored for them: building an index once is far cheaper than keeping
    /// it sorted through millions of inserts in random key order.
    /// </summary>
    public static void SqliteWithoutIndexes(SqliteConnection connection, IReadOnlyList<string> tables, Action load)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var indexes = new List<(string Name, string Definition)>();
        using (var list = connection.CreateCommand())
        {
            // Indexes SQLite made itself (primary keys, UNIQUE constraints) have no SQL and stay.
            list.CommandText = $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each($tables))";
            list.Parameters.AddWithValue("$tables", System.Text.Json.JsonSerializer.Serialize(tables));
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Execute(connection, indexes.Select(i => $"DROP INDEX \"{i.Name}\""));
        load();
        // This session only: a bigger page cache for building the indexes.
        Execute(connection, ["PRAGMA cache_size = -262144", .. indexes.Select(i => i.Definition)]);

        static void Execute(SqliteConnection connection, IEnumerable<string> statements)
        {
            foreach (var statement in statements)
            {
                using var command = connection.CreateCommand();
                command.CommandText = statement;
                command.ExecuteNonQuery();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="load"/> with the tables' secondary indexes dropped and foreign-key triggers
    /// off for this session (the rows must be consistent already), then creates the indexes again from
    /// PostgreSQL's own definitions, moves the identity sequences past the ids that were copied in and
    /// analyzes the tables. The connection must be a superuser's, as the test server's is.
    /// </summary>
    public static async Task PostgresWithoutIndexesAsync(NpgsqlConnection connection, IReadOnlyList<string> tables, Func<Task> load)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var indexes = new List<(string Name, string Definition)>();
        await using (var list = new NpgsqlCommand(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes AS i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(@tables)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conname = i.indexname)
            """, connection))
        {
            list.Parameters.AddWithValue("tables", tables.ToArray());
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        await ExecuteAsync(connection, indexes.Select(i => $"DROP INDEX \"{i.Name}\""));
        await ExecuteAsync(connection, ["SET session_replication_role = replica", "SET maintenance_work_mem = '256MB'"]);
        await load();
        await ExecuteAsync(connection, ["SET session_replication_role = DEFAULT", .. indexes.Select(i => i.Definition)]);
        await ExecuteAsync(connection, tables.Select(t =>
            $"SELECT setval(pg_get_serial_sequence('\"{t}\"', 'Id'), (SELECT COALESCE(MAX(\"Id\"), 0) + 1 FROM \"{t}\"), false)"));
        // Autovacuum does this soon after a large load on a real server; done here so it cannot start during a measurement.
        await ExecuteAsync(connection, tables.Select(t => $"VACUUM (ANALYZE) \"{t}\""));

        static async Task ExecuteAsync(NpgsqlConnection connection, IEnumerable<string> statements)
        {
            foreach (var statement in statements)
            {
                await using var command = new NpgsqlCommand(statement, connection) { CommandTimeout = 0 };
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}
