using System.Globalization;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Email;
using FeedbackHub.Testing;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Benchmarks;

/// <summary>
/// Imports ORDERS first orders, each by its own customer and placed in the last hour, with the real
/// CLI (its own process, peak memory sampled) while one campaign is active, on SQLite and on a real
/// PostgreSQL server: every order earns a thank-you (a code and its email, or the hold-out's email)
/// inside the import's transactions. Beside it, the same import into a database without a campaign
/// shows what the thank-yous add. The stored decisions, codes and emails are counted afterwards.
/// </summary>
internal static class ThankYouBenchmark
{
    /// <summary>The thank-you's offer needs a sender postal address, or every email is stored as skipped.</summary>
    private static readonly Dictionary<string, string?> EmailSettings = new()
    {
        ["Email__FromAddress"] = "shop@example.nl",
        ["Email__PostalAddress"] = "Voorbeeldstraat 1, 1234 AB Amsterdam",
    };

    public static async Task<int> RunAsync(int orders)
    {
        using var work = new TemporaryDirectory("feedbackhub-thank-you-bench-");
        var customersFile = work.File("customers.csv");
        var ordersFile = work.File("orders.csv");
        Console.WriteLine($"Generating {orders:N0} customers (marketing consent, 2/3 Dutch, 1/3 English) and one order each, placed in the last hour…");
        await WriteCustomersAsync(customersFile, orders);
        await WriteOrdersAsync(ordersFile, orders, DateTimeOffset.UtcNow);

        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            var (sqlite, sqliteBaseline) = (
                BenchmarkDatabase.SqliteEnvironment(Path.Combine(work.Path, "sqlite"), EmailSettings),
                BenchmarkDatabase.SqliteEnvironment(Path.Combine(work.Path, "sqlite-baseline"), EmailSettings));
            var (pg, pgBaseline) = (
                await BenchmarkDatabase.PostgresEnvironmentAsync(postgres, Path.Combine(work.Path, "pg"), EmailSettings),
                await BenchmarkDatabase.PostgresEnvironmentAsync(postgres, Path.Combine(work.Path, "pg"), EmailSettings));
            var results = new List<Result>
            {
                await RunAsync("SQLite", sqlite, sqliteBaseline, customersFile, ordersFile, orders),
                await RunAsync("PostgreSQL", pg, pgBaseline, customersFile, ordersFile, orders),
            };

            Console.WriteLine();
            foreach (var result in results)
            {
                Console.WriteLine(result.Line);
            }

            return BenchmarkDatabase.ExitCode(results.SelectMany(r => r.Problems));
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    private sealed record Result(string Line, IReadOnlyList<string> Problems);

    /// <summary>Imports the customers, starts the campaign, then times the orders import; the baseline database gets the same files without a campaign.</summary>
    private static async Task<Result> RunAsync(
        string database, Dictionary<string, string?> environment, Dictionary<string, string?> baselineEnvironment, string customers, string orders, int count)
    {
        Console.WriteLine($"{database}, without a campaign:");
        await ImportBenchmark.CliAsync(baselineEnvironment, "import", "customers", customers);
        var baseline = await ImportBenchmark.CliAsync(baselineEnvironment, "import", "orders", orders);

        Console.WriteLine($"{database}, with an active first-order campaign:");
        await ImportBenchmark.CliAsync(environment, "import", "customers", customers);
        var settings = BenchmarkDatabase.Settings(environment);
        await using (var db = BenchmarkDatabase.Context(settings))
        {
            db.Campaigns.Add(BenchmarkDatabase.ThankYouCampaign(DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }

        BenchmarkDatabase.EnsureDataProtectionKey(environment);

        var import = await ImportBenchmark.CliAsync(environment, "import", "orders", orders);

        await using var check = BenchmarkDatabase.Context(settings);
        var outbox = await check.OutboxEmails.GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        var codes = await check.DiscountCodes.CountAsync();
        var outcomes = await check.ThankYous.GroupBy(t => t.Outcome).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        var skipReasons = await check.OutboxEmails.Where(e => e.Status != OutboxStatus.Pending)
            .GroupBy(e => e.LastError).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  thank-yous: {Describe(outcomes)}; outbox: {Describe(outbox)}; the same orders without a campaign: {baseline.Elapsed.TotalSeconds:N1} s, peak {baseline.PeakMegabytes:N0} MB, so the thank-yous took {(import.Elapsed - baseline.Elapsed).TotalSeconds:N1} s"));

        var problems = new List<string>();
        var thanked = outcomes.Values.Sum();
        if (thanked != count)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{database}: {thanked:N0} thank-you decisions for {count:N0} first orders."));
        }

        problems.AddRange(skipReasons.Select(s => string.Create(CultureInfo.InvariantCulture, $"{database}: {s.Count:N0} emails not pending: {s.Key}")));
        var holdout = outcomes.GetValueOrDefault(ThankYouOutcome.HoldoutThankYou) + outcomes.GetValueOrDefault(ThankYouOutcome.HoldoutNoEmail);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{database}: {count:N0} orders imported and thanked in {import.Elapsed.TotalSeconds:N1} s ({count / import.Elapsed.TotalSeconds:N0} orders/s), peak {import.PeakMegabytes:N0} MB; outbox {outbox.Values.Sum():N0}, codes {codes:N0}, hold-out {holdout:N0}");
        return new Result(line, problems);
    }

    private static string Describe<TKey>(Dictionary<TKey, int> counts)
        where TKey : notnull =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderBy(c => c.Key).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:N0}")));

    /// <summary>Customer c-i, who agreed to marketing email; every third one reads English, the others Dutch.</summary>
    private static async Task WriteCustomersAsync(string path, int count)
    {
        await using var writer = new StreamWriter(path, append: false, System.Text.Encoding.UTF8, bufferSize: 1 << 16);
        await writer.WriteLineAsync("external_id,email,first_name,locale,marketing_consent");
        for (var i = 0; i < count; i++)
        {
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"c-{i},customer{i}@example.nl,Klant {i},{(i % 3 == 0 ? "en" : "nl")},yes"));
        }
    }

    /// <summary>Order o-i by customer c-i (so each is a first order), placed in the hour before <paramref name="now"/>.</summary>
    private static async Task WriteOrdersAsync(string path, int count, DateTimeOffset now)
    {
        var random = new Random(7);
        await using var writer = new StreamWriter(path, append: false, System.Text.Encoding.UTF8, bufferSize: 1 << 16);
        await writer.WriteLineAsync("external_id,customer_external_id,placed_at,total,currency,item_count");
        for (var i = 0; i < count; i++)
        {
            var placed = now.AddSeconds(-random.Next(60, 3_600)).UtcDateTime;
            var total = random.Next(500, 25_000) / 100m;
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"o-{i},c-{i},{placed:yyyy-MM-ddTHH:mm:ssZ},{total},EUR,{random.Next(1, 6)}"));
        }
    }
}
