using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Customers;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Benchmarks;

/// <summary>
/// Runs the real web app (its own process) on SQLite and on a real PostgreSQL server, with codes
/// issued beforehand, and has several concurrent clients, each with its own HttpClient, redeem a
/// different code per request over loopback for a fixed time; reports redemptions/s and latency.
/// </summary>
internal static class RedeemBenchmark
{
    /// <summary>Codes issued per second of the run: more than the app redeems, so no client runs out.</summary>
    private const int CodesPerSecond = 4_000;

    private const int SeedBatch = 10_000;

    public static async Task<int> RunAsync(TimeSpan duration, int clients)
    {
        var codes = (int)Math.Ceiling(duration.TotalSeconds * CodesPerSecond);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{codes:N0} codes issued beforehand; {clients} clients, each with its own HttpClient, redeem one per request for {duration.TotalSeconds:N0} s."));
        Console.WriteLine("The per-key rate limit is raised for the run: Api__PermitsPerSecond=100000 (its maximum), Api__Burst=1000000.");
        using var work = new TemporaryDirectory("feedbackhub-redeem-bench-");
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            var results = new List<Result>
            {
                await RunAsync("SQLite", AppEnvironment(Path.Combine(work.Path, "sqlite")), codes, duration, clients),
            };
            var pg = AppEnvironment(Path.Combine(work.Path, "pg"));
            pg["Database__Provider"] = "Postgres";
            pg["ConnectionStrings__FeedbackHub"] = await postgres.CreateDatabaseAsync();
            results.Add(await RunAsync("PostgreSQL", pg, codes, duration, clients));

            Console.WriteLine();
            Console.WriteLine($"| `POST /api/v1/discount-codes/{{code}}/redeem`, {clients} clients | redemptions/s | latency | not 200 |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var result in results)
            {
                Console.WriteLine(result.Line);
            }

            return results.All(r => r.Failed == 0) ? 0 : 1;
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    private sealed record Result(string Line, int Failed);

    private static Dictionary<string, string?> AppEnvironment(string dataDirectory) => new()
    {
        ["Storage__DataDirectory"] = dataDirectory,
        ["Api__PermitsPerSecond"] = "100000",
        ["Api__Burst"] = "1000000",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    private static async Task<Result> RunAsync(string database, Dictionary<string, string?> environment, int codeCount, TimeSpan duration, int clients)
    {
        Directory.CreateDirectory(environment["Storage__DataDirectory"]!);
        var secret = await WebAppProcess.CreateApiKeyAsync(environment, environment["Storage__DataDirectory"]!, "ingest");
        var settings = BenchmarkDatabase.Settings(environment);
        var seeding = Stopwatch.StartNew();
        var codes = await IssueCodesAsync(settings, codeCount);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{database}: {codes.Count:N0} customers and codes stored in {seeding.Elapsed.TotalSeconds:N1} s"));

        await using (var server = await WebAppProcess.StartAsync(environment, environment["Storage__DataDirectory"]!))
        {
            var baseAddress = server.BaseAddress;

            // Warm-up, not counted: the first requests pay for JIT compilation and opening connections.
            var next = -1;
            await RedeemAsync(baseAddress, secret, codes, () => Interlocked.Increment(ref next), clients, TimeSpan.FromSeconds(1), "warm-up-");
            var stopwatch = Stopwatch.StartNew();
            var runs = await RedeemAsync(baseAddress, secret, codes, () => Interlocked.Increment(ref next), clients, duration, "order-");
            stopwatch.Stop();

            var latencies = runs.SelectMany(r => r.Latencies).Order().ToList();
            var failures = runs.SelectMany(r => r.Failures).ToList();
            foreach (var failure in failures.GroupBy(f => f).Take(5))
            {
                Console.WriteLine($"  {failure.Count():N0} × {failure.Key}");
            }

            var ranOut = next >= codes.Count ? $" (all {codes.Count:N0} codes used before the time was up)" : "";
            await using var check = BenchmarkDatabase.Context(settings);
            var redeemed = await check.DiscountCodes.CountAsync(c => EF.Functions.Like(c.RedeemedOrderExternalId, "order-%"));
            var succeeded = latencies.Count - failures.Count;
            if (redeemed != succeeded)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {database}: {succeeded:N0} redemptions answered 200 but {redeemed:N0} codes are marked used."));
            }

            return new Result(string.Create(CultureInfo.InvariantCulture,
                $"| {database} | {latencies.Count / stopwatch.Elapsed.TotalSeconds:N0} requests/s over {stopwatch.Elapsed.TotalSeconds:N0} s ({latencies.Count:N0} requests){ranOut} | p50 {ApiBenchmark.Percentile(latencies, 0.50):N1} ms, p99 {ApiBenchmark.Percentile(latencies, 0.99):N1} ms | {failures.Count:N0} |"),
                failures.Count + (redeemed == succeeded ? 0 : 1));
        }
    }

    private sealed record ClientRun(List<double> Latencies, List<string> Failures);

    /// <summary>Each client redeems the next unused code with its own connection, until the time is up or the codes run out.</summary>
    private static async Task<ClientRun[]> RedeemAsync(
        Uri baseAddress, string secret, List<string> codes, Func<int> next, int clients, TimeSpan duration, string orderPrefix)
    {
        var clock = Stopwatch.StartNew();
        return await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var run = new ClientRun([], []);
            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(1) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            for (var i = next(); i < codes.Count && clock.Elapsed < duration; i = next())
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync(
                    new Uri($"api/v1/discount-codes/{codes[i]}/redeem", UriKind.Relative), new { orderId = $"{orderPrefix}{i}", orderTotal = 50m });
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadAsStringAsync();
                    run.Failures.Add($"{(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
                }
                else
                {
                    // Read the answer, as a checkout would.
                    await response.Content.ReadAsByteArrayAsync();
                }

                run.Latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }

            return run;
        }));
    }

    /// <summary>A campaign, and per code a customer of its own (one code per customer per campaign); returns the codes as customers see them.</summary>
    private static async Task<List<string>> IssueCodesAsync(FeedbackHub.Data.Database.DatabaseSettings settings, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var campaign = BenchmarkDatabase.ThankYouCampaign(now);
        await using (var db = BenchmarkDatabase.Context(settings))
        {
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
        }

        var codes = new List<string>(count);
        for (var first = 0; first < count; first += SeedBatch)
        {
            await using var db = BenchmarkDatabase.Context(settings);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var customers = Enumerable.Range(first, Math.Min(SeedBatch, count - first)).Select(i => new Customer
            {
                ExternalId = $"r-{i}",
                Email = $"redeemer{i}@example.nl",
                Locale = i % 3 == 0 ? CustomerLocales.English : CustomerLocales.Dutch,
                MarketingConsent = true,
                CreatedAt = now,
                UpdatedAt = now,
            }).ToList();
            db.Customers.AddRange(customers);
            await db.SaveChangesAsync();
            foreach (var customer in customers)
            {
                var variant = campaign.Variants[(int)(customer.Id % campaign.Variants.Count)];
                var code = new DiscountCode
                {
                    Code = DiscountCodeFormat.Generate(campaign.CodePrefix),
                    CampaignId = campaign.Id,
                    VariantId = variant.Id,
                    CustomerId = customer.Id,
                    DiscountKind = variant.DiscountKind ?? campaign.DiscountKind,
                    DiscountValue = variant.DiscountValue ?? campaign.DiscountValue,
                    Currency = campaign.Currency,
                    IssuedAt = now,
                    ExpiresAt = now.AddDays(campaign.ValidityDays),
                };
                db.DiscountCodes.Add(code);
                codes.Add(DiscountCodeFormat.Display(code.Code, campaign.CodePrefix));
            }

            await db.SaveChangesAsync();
        }

        return codes;
    }
}
