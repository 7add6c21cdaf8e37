using System.Diagnostics;
using System.Globalization;
using System.Net;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Benchmarks;

/// <summary>
/// Customers answering the exit survey against the real web app (its own process, SQLite), at a
/// fixed arrival rate over loopback (open loop: a new customer starts on schedule whether or not
/// the earlier ones are done). Each opens their link (<c>GET /s/{token}</c>, which sets the session
/// cookie), loads the form (<c>GET /survey</c>, antiforgery token) and posts an answer
/// (<c>POST /survey</c>). Reports the POST's latency, the whole journey's, and every answer that
/// was not the expected redirect or page, separately for the first SECONDS after the app started
/// (while its code is still being compiled) and the SECONDS after that.
/// </summary>
internal static class SurveySubmitBenchmark
{
    private const int SeedBatch = 2_000;

    private static readonly string[] Reasons = ["price", "service", "experience", "other"];

    public static async Task<int> RunAsync(TimeSpan duration, int rate)
    {
        var count = (int)Math.Ceiling(duration.TotalSeconds * rate);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{2 * count:N0} open invitations stored beforehand; {rate} customers/s start a survey, for {duration.TotalSeconds:N0} s right after the app started and {duration.TotalSeconds:N0} s more."));
        Console.WriteLine("Every customer here posts from the same address, so the per-address limit on survey posts (Limits:SurveyPostsPerMinute) is raised; Surveys:TokenGuessesPerMinute counts only unknown links, and every link here is valid.");
        using var work = new TemporaryDirectory("feedbackhub-survey-bench-");
        var environment = new Dictionary<string, string?>
        {
            ["Storage__DataDirectory"] = work.Path,
            ["Logging__LogLevel__Default"] = "Warning",
            // Real customers post from their own addresses; here they all share the loopback one.
            ["Limits__SurveyPostsPerMinute"] = "100000",
            // No scheduled job may start in the middle of the run.
            ["Scheduler__Enabled"] = "false",
        };
        await ImportBenchmark.CliAsync(environment, "migrate");
        BenchmarkDatabase.EnsureDataProtectionKey(environment);
        var settings = BenchmarkDatabase.Settings(environment);
        var seeding = Stopwatch.StartNew();
        var tokens = await InviteAsync(settings, 2 * count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tokens.Length:N0} customers, churn events and invitations stored in {seeding.Elapsed.TotalSeconds:N1} s"));

        await using var server = await WebAppProcess.StartAsync(environment, work.Path);
        using var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        // One uninterrupted arrival stream; its first half meets a server that is still compiling its code (JIT).
        var cpuAtStart = server.ProcessorTime;
        var clock = Stopwatch.StartNew();
        var cpuHalfway = Task.Delay(duration).ContinueWith(_ => server.ProcessorTime, TaskScheduler.Default);
        var journeys = await DriveAsync(http, tokens, rate);
        var (cpuAtEnd, elapsed) = (server.ProcessorTime, clock.Elapsed);

        var failures = journeys.Where(j => j.Failure is not null).Select(j => j.Failure!).ToList();
        foreach (var failure in failures.GroupBy(f => f).OrderByDescending(g => g.Count()).Take(5))
        {
            Console.WriteLine($"  {failure.Count():N0} × {failure.Key}");
        }

        var done = journeys.Where(j => j.Failure is null).ToList();
        Console.WriteLine("  POST p99 per 5 s: " + string.Join(", ", done.GroupBy(j => (int)(j.StartSeconds / 5)).OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key * 5}–{g.Key * 5 + 5} s {Percentile(g.Select(j => j.PostMilliseconds).Order().ToList(), 0.99):N0} ms"))));

        var problems = 0;
        await using (var check = BenchmarkDatabase.Context(settings))
        {
            var stored = await check.SurveyResponses.CountAsync();
            if (stored != done.Count)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: {done.Count:N0} submissions were answered with the thank-you redirect but {stored:N0} responses are stored."));
                problems++;
            }
        }

        var seconds = duration.TotalSeconds;
        var halfway = await cpuHalfway;
        var phases = new[]
        {
            ($"first {seconds:N0} s after the app started", journeys.Where(j => j.StartSeconds < seconds).ToList(), 0.0, (halfway - cpuAtStart) / duration),
            ($"the {seconds:N0} s after that", journeys.Where(j => j.StartSeconds >= seconds).ToList(), seconds, (cpuAtEnd - halfway) / (elapsed - duration)),
        };
        Console.WriteLine();
        Console.WriteLine($"| SQLite, {rate} submissions/s offered (open loop) | started | achieved | `POST /survey` | whole journey (3 requests) | errors | app CPU |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, phase, from, cores) in phases)
        {
            Console.WriteLine(Row(name, phase, from, cores));
        }

        return failures.Count + problems == 0 ? 0 : 1;
    }

    /// <summary>A table row for the journeys started in one phase; achieved counts until the last of them finished.</summary>
    private static string Row(string name, List<Journey> phase, double from, double cores)
    {
        var done = phase.Where(j => j.Failure is null).ToList();
        var span = phase.Max(j => j.StartSeconds + j.JourneyMilliseconds / 1000) - from;
        var posts = done.Select(j => j.PostMilliseconds).Order().ToList();
        var whole = done.Select(j => j.JourneyMilliseconds).Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {phase.Count:N0} | {done.Count / span:N0} submissions/s ({3 * phase.Count / span:N0} requests/s) | p50 {Percentile(posts, 0.50):N1} ms, p99 {Percentile(posts, 0.99):N1} ms | p50 {Percentile(whole, 0.50):N1} ms, p99 {Percentile(whole, 0.99):N1} ms | {phase.Count - done.Count:N0} | {cores:N2} cores |");
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : ApiBenchmark.Percentile(sorted, p);

    /// <summary>One customer's visit: the time of each request, the whole journey's from its scheduled start, or what went wrong.</summary>
    private sealed record Journey(double StartSeconds, double OpenMilliseconds, double FormMilliseconds, double PostMilliseconds, double JourneyMilliseconds, string? Failure);

    /// <summary>Starts one journey per token at <paramref name="rate"/> per second, on schedule, and waits for all of them.</summary>
    private static async Task<List<Journey>> DriveAsync(HttpClient http, string[] tokens, int rate)
    {
        var journeys = new Task<Journey>[tokens.Length];
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < tokens.Length; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }

            var (token, reason) = (tokens[i], Reasons[i % Reasons.Length]);
            journeys[i] = Task.Run(() => JourneyAsync(http, token, reason, start, due));
        }

        return [.. await Task.WhenAll(journeys)];
    }

    private static async Task<Journey> JourneyAsync(HttpClient http, string token, string reason, long start, long due)
    {
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        var (open, form, post) = (0.0, 0.0, 0.0);
        string? failure;
        try
        {
            var opened = await SendAsync(http, HttpMethod.Get, $"{SurveyLinks.LinkPrefix[1..]}/{token}", cookies, null);
            open = opened.Milliseconds;
            failure = Unexpected("GET /s/{token}", opened.Status, HttpStatusCode.Redirect);
            if (failure is null)
            {
                var page = await SendAsync(http, HttpMethod.Get, SurveyLinks.SurveyPath[1..], cookies, null);
                form = page.Milliseconds;
                failure = Unexpected("GET /survey", page.Status, HttpStatusCode.OK);
                if (failure is null)
                {
                    using var answers = ExitSurveys.Answers(page.Body, reason, "Het duurde te lang voordat mijn vraag werd beantwoord.", "6");
                    var submitted = await SendAsync(http, HttpMethod.Post, SurveyLinks.SurveyPath[1..], cookies, answers);
                    post = submitted.Milliseconds;
                    failure = Unexpected("POST /survey", submitted.Status, HttpStatusCode.Redirect);
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            failure = $"{ex.GetType().Name}: {ex.Message}";
        }

        return new Journey((double)(due - start) / Stopwatch.Frequency, open, form, post, Stopwatch.GetElapsedTime(due).TotalMilliseconds, failure);
    }

    private static string? Unexpected(string request, HttpStatusCode status, HttpStatusCode expected) =>
        status == expected ? null : $"{request}: {(int)status} instead of {(int)expected}";

    /// <summary>Sends one request with the customer's cookies and keeps the ones it sets; the time runs to the last byte of the answer.</summary>
    private static async Task<(HttpStatusCode Status, string Body, double Milliseconds)> SendAsync(
        HttpClient http, HttpMethod method, string path, Dictionary<string, string> cookies, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        var sent = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var elapsed = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
        {
            foreach (var pair in set.Select(c => c.Split(';', 2)[0].Split('=', 2)))
            {
                cookies[pair[0]] = pair[1];
            }
        }

        return (response.StatusCode, body, elapsed);
    }

    /// <summary>Per token a customer who cancelled yesterday, their open churn event and an unanswered invitation; returns the tokens their links carry.</summary>
    private static async Task<string[]> InviteAsync(DatabaseSettings settings, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var tokens = new List<string>(count);
        for (var first = 0; first < count; first += SeedBatch)
        {
            await using var db = BenchmarkDatabase.Context(settings);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = first; i < Math.Min(first + SeedBatch, count); i++)
            {
                var customer = new Customer
                {
                    ExternalId = string.Create(CultureInfo.InvariantCulture, $"leaver-{i}"),
                    Email = string.Create(CultureInfo.InvariantCulture, $"leaver{i}@example.nl"),
                    FirstName = string.Create(CultureInfo.InvariantCulture, $"Klant {i}"),
                    Locale = i % 3 == 0 ? CustomerLocales.English : CustomerLocales.Dutch,
                    MarketingConsent = true,
                    CreatedAt = now.AddDays(-400),
                    UpdatedAt = now.AddDays(-400),
                };
                var cancelled = now.AddDays(-1);
                var churn = new ChurnEvent
                {
                    Customer = customer, Kind = ChurnKind.SubscriptionCancelled, ReferenceAt = cancelled, ChurnedAt = cancelled, OpenedAt = cancelled,
                    Explanation = "subscription cancelled on " + cancelled.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                };
                var (token, hash) = SurveyLinks.NewToken();
                db.SurveyInvitations.Add(new SurveyInvitation
                {
                    ChurnEvent = churn, Customer = customer, TokenHash = hash, Locale = customer.Locale, CreatedAt = cancelled, ExpiresAt = now.AddDays(29),
                });
                tokens.Add(token);
            }

            await db.SaveChangesAsync();
        }

        return [.. tokens];
    }
}
