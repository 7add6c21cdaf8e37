using System.Diagnostics;
using System.Globalization;
using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Churn;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace FeedbackHub.Benchmarks;

/// <summary>
/// The nightly churn detection over a large history, on SQLite and on a real PostgreSQL server: a
/// database migrated by the CLI is filled directly (the bulk floor's way, secondary indexes built
/// afterwards) with <see cref="CustomerHistory"/>, then the real CLI runs <c>jobs run churn-detection</c>
/// in its own process (peak memory sampled) twice: the first run finds everyone, the second finds
/// nothing new. The events opened are checked against the rules counted in C#.
/// </summary>
internal static class ChurnBenchmark
{
    private static readonly string[] Tables = ["Customers", "Orders", "SubscriptionEvents"];

    private static readonly string[] CustomerColumns =
        ["Id", "ExternalId", "Email", "FirstName", "Locale", "TimeZone", "MarketingConsent", "FlaggedBySupport", "CreatedAt", "UpdatedAt"];

    private static readonly string[] OrderColumns =
        ["Id", "ExternalId", "CustomerId", "PlacedAt", "Total", "Currency", "DiscountCode", "ItemCount", "CreatedAt", "UpdatedAt"];

    private static readonly string[] SubscriptionColumns = ["Id", "EventId", "CustomerId", "Kind", "OccurredAt", "ReceivedAt"];

    public static async Task<int> RunAsync(int customers, int orders)
    {
        if (customers < 1 || orders < customers)
        {
            Console.Error.WriteLine("churn: every customer has at least one order, so ORDERS must be at least CUSTOMERS (and CUSTOMERS at least 1).");
            return 2;
        }

        var generating = Stopwatch.StartNew();
        var history = CustomerHistory.Generate(customers, orders, DateTimeOffset.UtcNow);
        var expected = history.ExpectedChurn(DateTimeOffset.UtcNow, new ChurnOptions());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{customers:N0} customers, {orders:N0} orders over {CustomerHistory.Days} days and {history.SubscriptionChanges.Length:N0} subscription events generated in {generating.Elapsed.TotalSeconds:N1} s; by the rules now: {expected.Cancelled:N0} cancellations, {expected.Lapsed:N0} lapsed buyers"));

        using var work = new TemporaryDirectory("feedbackhub-churn-bench-");
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            var results = new List<Result>
            {
                await RunAsync("SQLite", BenchmarkDatabase.SqliteEnvironment(Path.Combine(work.Path, "sqlite")), history),
                await RunAsync("PostgreSQL", await BenchmarkDatabase.PostgresEnvironmentAsync(postgres, Path.Combine(work.Path, "pg")), history),
            };

            Console.WriteLine();
            Console.WriteLine($"| {customers:N0} customers, {orders:N0} orders | run | wall time (job's own) | peak memory | events opened: cancelled / lapsed | won back |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var line in results.SelectMany(r => r.Lines))
            {
                Console.WriteLine(line);
            }

            return BenchmarkDatabase.ExitCode(results.SelectMany(r => r.Problems));
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    private sealed record Result(IReadOnlyList<string> Lines, IReadOnlyList<string> Problems);

    /// <summary>What the CLI's summary line says the job did.</summary>
    private sealed record JobRun(ImportBenchmark.Measurement Measurement, int Cancelled, int Lapsed, int WonBack, double Seconds)
    {
        public static JobRun From(ImportBenchmark.Measurement measurement)
        {
            var values = measurement.Summary.Split(' ').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            int Count(string key) => int.Parse(values[key], CultureInfo.InvariantCulture);
            return new(measurement, Count("cancelled"), Count("lapsed"), Count("won_back"), double.Parse(values["seconds"], CultureInfo.InvariantCulture));
        }

        public string Line(string database, string run) => string.Create(CultureInfo.InvariantCulture,
            $"| {database} | {run} | {Measurement.Elapsed.TotalSeconds:N1} s ({Seconds:N1} s) | {Measurement.PeakMegabytes:N0} MB | {Cancelled:N0} / {Lapsed:N0} | {WonBack:N0} |");
    }

    private static async Task<Result> RunAsync(string database, Dictionary<string, string?> environment, CustomerHistory history)
    {
        Console.WriteLine($"{database}:");
        await ImportBenchmark.CliAsync(environment, "migrate");
        var settings = BenchmarkDatabase.Settings(environment);
        var loading = Stopwatch.StartNew();
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            LoadSqlite(settings.ConnectionString, history);
        }
        else
        {
            await LoadPostgresAsync(settings.ConnectionString, history);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  loaded and indexed in {loading.Elapsed.TotalSeconds:N1} s"));

        var rules = new ChurnOptions();
        var before = history.ExpectedChurn(DateTimeOffset.UtcNow, rules);
        var first = JobRun.From(await ImportBenchmark.CliAsync(environment, "jobs", "run", "churn-detection"));
        var afterFirst = history.ExpectedChurn(DateTimeOffset.UtcNow, rules);
        var second = JobRun.From(await ImportBenchmark.CliAsync(environment, "jobs", "run", "churn-detection"));
        var afterSecond = history.ExpectedChurn(DateTimeOffset.UtcNow, rules);

        // A customer may cross their threshold while a job runs: each count lies between the rules' counts before and after it.
        var problems = new List<string>();
        if (first.Cancelled != before.Cancelled || first.Lapsed < before.Lapsed || first.Lapsed > afterFirst.Lapsed)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{database}: the first run opened {first.Cancelled:N0} / {first.Lapsed:N0}; the rules give {before.Cancelled:N0} / {before.Lapsed:N0}–{afterFirst.Lapsed:N0}."));
        }

        if (second.Cancelled + second.WonBack + first.WonBack > 0 || first.Lapsed + second.Lapsed > afterSecond.Lapsed)
        {
            problems.Add($"{database}: only the clock moved between the runs, yet the second run reports {second.Measurement.Summary}.");
        }

        await using (var db = BenchmarkDatabase.Context(settings))
        {
            var stored = await db.ChurnEvents.CountAsync();
            var opened = first.Cancelled + first.Lapsed + second.Cancelled + second.Lapsed;
            if (stored != opened)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{database}: the runs report {opened:N0} events opened, the database holds {stored:N0}."));
            }
        }

        return new Result([first.Line(database, "first"), second.Line(database, "second, nothing new")], problems);
    }

    private static void LoadSqlite(string connectionString, CustomerHistory history)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        var values = new RowValues();
        BulkInsert.SqliteWithoutIndexes(connection, Tables, () =>
        {
            BulkInsert.Sqlite(connection, "Customers", CustomerColumns, Enumerable.Range(0, history.Customers), (c, p) =>
            {
                var customer = RowValues.Customer(c);
                p[0].Value = c + 1L;
                p[1].Value = customer.ExternalId;
                p[2].Value = customer.Email;
                p[3].Value = customer.FirstName;
                p[4].Value = customer.Locale;
                p[5].Value = RowValues.TimeZone;
                p[6].Value = customer.MarketingConsent;
                p[7].Value = false;
                p[8].Value = history.CreatedTicks[c];
                p[9].Value = history.CreatedTicks[c];
            });
            BulkInsert.Sqlite(connection, "Orders", OrderColumns, Enumerable.Range(0, history.OrderTicks.Length), (i, p) =>
            {
                var order = values.Order(i);
                p[0].Value = i + 1L;
                p[1].Value = order.ExternalId;
                p[2].Value = history.OrderCustomers[i] + 1L;
                p[3].Value = history.OrderTicks[i];
                p[4].Value = SqliteStorage.Money(order.Total);
                p[5].Value = RowValues.Currency;
                p[6].Value = (object?)order.DiscountCode ?? DBNull.Value;
                p[7].Value = order.ItemCount;
                p[8].Value = history.OrderTicks[i];
                p[9].Value = history.OrderTicks[i];
            });
            BulkInsert.Sqlite(connection, "SubscriptionEvents", SubscriptionColumns, Enumerable.Range(0, history.SubscriptionChanges.Length), (i, p) =>
            {
                var change = history.SubscriptionChanges[i];
                p[0].Value = i + 1L;
                p[1].Value = RowValues.SubscriptionEventId(i);
                p[2].Value = change.Customer + 1L;
                p[3].Value = change.Kind.ToString();
                p[4].Value = change.Ticks;
                p[5].Value = change.Ticks;
            });
        });
    }

    private static async Task LoadPostgresAsync(string connectionString, CustomerHistory history)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var values = new RowValues();
        await BulkInsert.PostgresWithoutIndexesAsync(connection, Tables, async () =>
        {
            await BulkInsert.PostgresAsync(connection, "Customers", CustomerColumns, Enumerable.Range(0, history.Customers), async (copy, c) =>
            {
                var customer = RowValues.Customer(c);
                var created = Utc(history.CreatedTicks[c]);
                await copy.WriteAsync(c + 1L, NpgsqlDbType.Bigint);
                await copy.WriteAsync(customer.ExternalId, NpgsqlDbType.Varchar);
                await copy.WriteAsync(customer.Email, NpgsqlDbType.Varchar);
                await copy.WriteAsync(customer.FirstName, NpgsqlDbType.Varchar);
                await copy.WriteAsync(customer.Locale, NpgsqlDbType.Varchar);
                await copy.WriteAsync(RowValues.TimeZone, NpgsqlDbType.Varchar);
                await copy.WriteAsync(customer.MarketingConsent, NpgsqlDbType.Boolean);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean);
                await copy.WriteAsync(created, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(created, NpgsqlDbType.TimestampTz);
            });
            await BulkInsert.PostgresAsync(connection, "Orders", OrderColumns, Enumerable.Range(0, history.OrderTicks.Length), async (copy, i) =>
            {
                var order = values.Order(i);
                var placed = Utc(history.OrderTicks[i]);
                await copy.WriteAsync(i + 1L, NpgsqlDbType.Bigint);
                await copy.WriteAsync(order.ExternalId, NpgsqlDbType.Varchar);
                await copy.WriteAsync(history.OrderCustomers[i] + 1L, NpgsqlDbType.Bigint);
                await copy.WriteAsync(placed, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(order.Total, NpgsqlDbType.Numeric);
                await copy.WriteAsync(RowValues.Currency, NpgsqlDbType.Char);
                await copy.WriteAsync((object?)order.DiscountCode ?? DBNull.Value, NpgsqlDbType.Varchar);
                await copy.WriteAsync(order.ItemCount, NpgsqlDbType.Integer);
                await copy.WriteAsync(placed, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(placed, NpgsqlDbType.TimestampTz);
            });
            await BulkInsert.PostgresAsync(connection, "SubscriptionEvents", SubscriptionColumns, Enumerable.Range(0, history.SubscriptionChanges.Length), async (copy, i) =>
            {
                var change = history.SubscriptionChanges[i];
                await copy.WriteAsync(i + 1L, NpgsqlDbType.Bigint);
                await copy.WriteAsync(RowValues.SubscriptionEventId(i), NpgsqlDbType.Varchar);
                await copy.WriteAsync(change.Customer + 1L, NpgsqlDbType.Bigint);
                await copy.WriteAsync(change.Kind.ToString(), NpgsqlDbType.Varchar);
                await copy.WriteAsync(Utc(change.Ticks), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(Utc(change.Ticks), NpgsqlDbType.TimestampTz);
            });
        });
    }

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);

    /// <summary>The columns churn detection does not read, the same on both databases: one seeded sequence, consumed in row order.</summary>
    private sealed class RowValues
    {
        public const string TimeZone = "Europe/Amsterdam";
        public const string Currency = "EUR";

        private readonly Random _random = new(11);

        public static string SubscriptionEventId(int index) => string.Create(CultureInfo.InvariantCulture, $"s-{index}");

        public static (string ExternalId, string Email, string FirstName, string Locale, bool MarketingConsent) Customer(int index) =>
            (string.Create(CultureInfo.InvariantCulture, $"c-{index}"), string.Create(CultureInfo.InvariantCulture, $"customer{index}@example.nl"),
             string.Create(CultureInfo.InvariantCulture, $"Klant {index}"), index % 3 == 0 ? "en" : "nl", index % 5 != 0);

        public (string ExternalId, decimal Total, string? DiscountCode, int ItemCount) Order(int index) =>
            (string.Create(CultureInfo.InvariantCulture, $"o-{index}"), _random.Next(500, 25_000) / 100m,
             _random.Next(10) == 0 ? "SPRING10" : null, _random.Next(1, 6));
    }
}
