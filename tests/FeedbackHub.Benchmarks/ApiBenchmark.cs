using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FeedbackHub.Testing;

namespace FeedbackHub.Benchmarks;

/// <summary>
/// Runs the real web app (its own process, SQLite) and pushes order batches of 1,000 from several
/// concurrent clients over loopback for a fixed time; reports orders/s and request latency.
/// </summary>
internal static class ApiBenchmark
{
    private const int BatchSize = 1_000;

    public static async Task<int> RunAsync(TimeSpan duration, int clients)
    {
        using var work = new TemporaryDirectory("feedbackhub-api-bench-");
        var environment = new Dictionary<string, string?>
        {
            ["Storage__DataDirectory"] = work.Path,
            ["Api__PermitsPerSecond"] = "100000",
            ["Api__Burst"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var secret = await WebAppProcess.CreateApiKeyAsync(environment, work.Path, "ingest");
        await using (var server = await WebAppProcess.StartAsync(environment, work.Path))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            for (var first = 0; first < OrdersFile.Customers; first += BatchSize)
            {
                var customers = Enumerable.Range(first, BatchSize).Select(i => new { externalId = $"c-{i}", email = $"c{i}@example.nl" });
                (await http.PostAsJsonAsync("api/v1/customers/batch", new { items = customers })).EnsureSuccessStatusCode();
            }

            var latencies = new List<double>();
            var next = 0;
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
            {
                var random = new Random(Environment.CurrentManagedThreadId);
                while (stopwatch.Elapsed < duration)
                {
                    var first = Interlocked.Add(ref next, BatchSize) - BatchSize;
                    var orders = Enumerable.Range(first, BatchSize).Select(i => new
                    {
                        externalId = $"o-{i}",
                        customerExternalId = $"c-{random.Next(OrdersFile.Customers)}",
                        placedAt = DateTimeOffset.UtcNow.AddDays(-random.Next(400)),
                        total = random.Next(500, 25_000) / 100m,
                        currency = "EUR",
                        itemCount = random.Next(1, 6),
                    }).ToList();
                    var sent = Stopwatch.GetTimestamp();
                    using var response = await http.PostAsJsonAsync("api/v1/orders/batch", new { items = orders });
                    var elapsed = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        throw new InvalidOperationException($"Batch failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }

                    lock (latencies)
                    {
                        latencies.Add(elapsed);
                    }
                }
            }));
            stopwatch.Stop();
            latencies.Sort();
            var orderCount = latencies.Count * BatchSize;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| batch API, {clients} clients, batches of {BatchSize:N0} | {orderCount / stopwatch.Elapsed.TotalSeconds:N0} orders/s over {stopwatch.Elapsed.TotalSeconds:N0} s ({latencies.Count:N0} requests) | p50 {Percentile(latencies, 0.50):N0} ms, p99 {Percentile(latencies, 0.99):N0} ms |"));
            return 0;
        }
    }

    internal static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

}
