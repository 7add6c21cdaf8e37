using System.Diagnostics;
using System.Globalization;
using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace FeedbackHub.Benchmarks;

/// <summary>
/// Imports a generated orders file with the real CLI (its own process, peak memory sampled) on SQLite
/// and on a real PostgreSQL server, beside the floor each database offers for the same rows:
/// one prepared INSERT in one transaction (SQLite) and COPY (PostgreSQL), both into a plain table.
/// </summary>
internal static class ImportBenchmark
{
    public static async Task<int> RunAsync(int rows)
    {
        using var work = new TemporaryDirectory("feedbackhub-bench-");
        var customers = work.File("customers.csv");
        var orders = work.File("orders.csv");
        Console.WriteLine($"Generating {rows:N0} orders for {OrdersFile.Customers:N0} customers…");
        await OrdersFile.WriteCustomersAsync(customers);
        await OrdersFile.WriteOrdersAsync(orders, rows);
        Console.WriteLine($"orders.csv: {new FileInfo(orders).Length / 1_048_576.0:N1} MiB");

        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            var results = new List<string>();
            // SQLite
            var sqliteData = Path.Combine(work.Path, "sqlite");
            Directory.CreateDirectory(sqliteData);
            var sqliteEnvironment = BenchmarkDatabase.SqliteEnvironment(sqliteData);
            await CliAsync(sqliteEnvironment, "import", "customers", customers);
            var sqliteImport = await CliAsync(sqliteEnvironment, "import", "orders", orders);
            var sqliteFloor = SqliteFloor(Path.Combine(work.Path, "floor.db"), orders, withOrdersIndexes: false);
            var sqliteIndexedFloor = SqliteFloor(Path.Combine(work.Path, "floor-indexed.db"), orders, withOrdersIndexes: true);
            results.Add(Line("SQLite", rows, sqliteImport, sqliteFloor, sqliteIndexedFloor));

            // PostgreSQL
            var postgresEnvironment = await BenchmarkDatabase.PostgresEnvironmentAsync(postgres, Path.Combine(work.Path, "pg"));
            var connection = postgresEnvironment["ConnectionStrings__FeedbackHub"]!;
            await CliAsync(postgresEnvironment, "import", "customers", customers);
            var postgresImport = await CliAsync(postgresEnvironment, "import", "orders", orders);
            var postgresFloor = await PostgresFloorAsync(connection, orders, withOrdersIndexes: false);
            var postgresIndexedFloor = await PostgresFloorAsync(connection, orders, withOrdersIndexes: true);
            results.Add(Line("PostgreSQL", rows, postgresImport, postgresFloor, postgresIndexedFloor));

            // Re-import: every row unchanged.
            var reimport = await CliAsync(sqliteEnvironment, "import", "orders", orders);
            results.Add(string.Create(CultureInfo.InvariantCulture,
                $"SQLite re-import (all unchanged): {rows / reimport.Elapsed.TotalSeconds:N0} rows/s, peak {reimport.PeakMegabytes:N0} MB"));

            Console.WriteLine();
            Console.WriteLine("| database | FeedbackHub import | floor (plain table) | import ÷ floor time | floor with the Orders indexes | import peak memory |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var line in results)
            {
                Console.WriteLine(line);
            }

            return 0;
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    private static string Line(string database, int rows, Measurement import, TimeSpan floor, TimeSpan indexedFloor) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {database} | {rows / import.Elapsed.TotalSeconds:N0} rows/s ({import.Elapsed.TotalSeconds:N1} s) | {rows / floor.TotalSeconds:N0} rows/s ({floor.TotalSeconds:N1} s) | {import.Elapsed / floor:N2}× | {rows / indexedFloor.TotalSeconds:N0} rows/s ({indexedFloor.TotalSeconds:N1} s) | {import.PeakMegabytes:N0} MB |");

    /// <summary>The secondary indexes FeedbackHub keeps on Orders, for the floor that maintains them too.</summary>
    private static readonly string[] OrdersIndexes =
    [
        "CREATE UNIQUE INDEX {0}_external_id ON {0} (external_id)",
        "CREATE INDEX {0}_customer_placed ON {0} (customer, placed_at)",
        "CREATE INDEX {0}_placed ON {0} (placed_at)",
        "CREATE INDEX {0}_code ON {0} (discount_code)",
        // Stands in for the change-feed index (UpdatedAt, Id): another two-column index.
        "CREATE INDEX {0}_changed ON {0} (placed_at, item_count)",
    ];

    private static readonly string[] PlainColumns = ["external_id", "customer", "placed_at", "total", "currency", "discount_code", "item_count"];

    internal sealed record Measurement(TimeSpan Elapsed, double PeakMegabytes, string Summary);

    /// <summary>Runs the real CLI as its own process with these settings, sampling its peak memory; throws when it fails.</summary>
    internal static async Task<Measurement> CliAsync(Dictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "feedbackhub.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        double peakKilobytes = 0;
        while (!process.HasExited)
        {
            peakKilobytes = Math.Max(peakKilobytes, HighWaterMarkKilobytes(process.Id));
            await Task.Delay(50);
        }

        await process.WaitForExitAsync();
        stopwatch.Stop();
        var summary = (await output).TrimEnd().Split('\n')[^1];
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"feedbackhub {string.Join(' ', arguments)} failed: {summary}\n{await errors}");
        }

        Console.WriteLine($"  {string.Join(' ', arguments.Take(2))}: {summary} in {stopwatch.Elapsed.TotalSeconds:N1} s");
        return new Measurement(stopwatch.Elapsed, peakKilobytes / 1024, summary);
    }

    /// <summary>VmHWM: the process's peak resident memory so far.</summary>
    internal static double HighWaterMarkKilobytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static TimeSpan SqliteFloor(string path, string orders, bool withOrdersIndexes)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE plain (external_id TEXT, customer TEXT, placed_at INTEGER, total INTEGER, currency TEXT, discount_code TEXT, item_count INTEGER);"
                + (withOrdersIndexes ? string.Join(";", OrdersIndexes.Select(i => string.Format(CultureInfo.InvariantCulture, i, "plain"))) : "");
            create.ExecuteNonQuery();
        }

        var stopwatch = Stopwatch.StartNew();
        BulkInsert.Sqlite(connection, "plain", PlainColumns, OrdersFile.Read(orders), (row, p) =>
        {
            p[0].Value = row.Id;
            p[1].Value = row.Customer;
            p[2].Value = SqliteStorage.Ticks(row.Placed);
            p[3].Value = SqliteStorage.Money(row.Total);
            p[4].Value = row.Currency;
            p[5].Value = (object?)row.Code ?? DBNull.Value;
            p[6].Value = row.Items;
        });
        return stopwatch.Elapsed;
    }

    private static async Task<TimeSpan> PostgresFloorAsync(string connectionString, string orders, bool withOrdersIndexes)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var table = withOrdersIndexes ? "plain_indexed" : "plain";
        await using (var create = new NpgsqlCommand(
            $"CREATE TABLE {table} (external_id text, customer text, placed_at timestamptz, total numeric(18,4), currency text, discount_code text, item_count int);"
            + (withOrdersIndexes ? string.Join(";", OrdersIndexes.Select(i => string.Format(CultureInfo.InvariantCulture, i, table))) : ""), connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var stopwatch = Stopwatch.StartNew();
        await BulkInsert.PostgresAsync(connection, table, PlainColumns, OrdersFile.Read(orders), async (copy, row) =>
        {
            await copy.WriteAsync(row.Id, NpgsqlDbType.Text);
            await copy.WriteAsync(row.Customer, NpgsqlDbType.Text);
            await copy.WriteAsync(row.Placed, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(row.Total, NpgsqlDbType.Numeric);
            await copy.WriteAsync(row.Currency, NpgsqlDbType.Text);
            await copy.WriteAsync((object?)row.Code ?? DBNull.Value, NpgsqlDbType.Text);
            await copy.WriteAsync(row.Items, NpgsqlDbType.Integer);
        });
        return stopwatch.Elapsed;
    }
}
