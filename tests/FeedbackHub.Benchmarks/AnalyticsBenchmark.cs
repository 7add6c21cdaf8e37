using System.Collections;
using System.Diagnostics;
using System.Globalization;
using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics;
using FeedbackHub.Web.Features.Churn;
using FeedbackHub.Web.Features.DemoData;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Reasons;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Benchmarks;

/// <summary>
/// The dashboards' report queries over demo data of a given size, on SQLite and on a real PostgreSQL
/// server. Each database is migrated by the CLI and filled with the demo seeder's customers (bulk
/// loaded, see <see cref="DemoBulkLoad"/>); then a fresh process of this benchmark loads every page of
/// <see cref="AnalyticsPages"/> for the 12 months ending October 2026: once to warm up and to check each
/// figure against its floor (one hand-written statement), then measured (wall time, peak memory),
/// each figure's report time beside its floor's.
/// </summary>
internal static class AnalyticsBenchmark
{
    public const string MeasureVerb = "analytics-pages";

    /// <summary>The demo history ends here, so every run measures the same months.</summary>
    private static readonly DateOnly AsOf = new(2026, 10, 31);
    private const int Months = 12;
    private const double RatioTarget = 1.5;

    public static async Task<int> RunAsync(int customers, int orders, int responses)
    {
        if (customers is < 1 or > DemoDataOptions.MaxCustomers || orders < customers || responses < 0 || responses > customers)
        {
            Console.Error.WriteLine($"analytics: CUSTOMERS is 1 to {DemoDataOptions.MaxCustomers:N0}, ORDERS at least CUSTOMERS, RESPONSES at most CUSTOMERS.");
            return 2;
        }

        using var work = new TemporaryDirectory("feedbackhub-analytics-bench-");
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            DemoDataOptions? options = null;
            var exitCode = 0;
            var databases = new (string Name, Func<Task<Dictionary<string, string?>>> Environment)[]
            {
                ("SQLite", () => Task.FromResult(BenchmarkDatabase.SqliteEnvironment(Path.Combine(work.Path, "sqlite")))),
                ("PostgreSQL", () => BenchmarkDatabase.PostgresEnvironmentAsync(postgres, Path.Combine(work.Path, "pg"))),
            };
            foreach (var (name, environment) in databases)
            {
                var settings = await environment();
                options = await SeedAsync(name, settings, options, customers, orders, responses);
                exitCode = Math.Max(exitCode, await MeasureInOwnProcessAsync(name, settings));
            }

            return exitCode;
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    /// <summary>The measuring half, in a process of its own so its peak memory is the reports' and not the seeding's.</summary>
    public static async Task<int> MeasureAsync(string database)
    {
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        var settings = BenchmarkDatabase.Settings(environment);
        await using var db = BenchmarkDatabase.Context(settings);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var run = new AnalyticsRun(db, settings, AsOf, Months, new EmailOptions().ShopZone);
        run = run with { Picks = await AnalyticsPages.PickAsync(run) };
        var pageTarget = TimeSpan.FromSeconds(settings.Provider == DatabaseProvider.Postgres ? 1 : 2);
        var problems = new List<string>();
        var lines = new List<string>();
        foreach (var page in AnalyticsPages.All)
        {
            // Warm-up (query compilation, the database's caches), and the check that report and floor agree.
            foreach (var figure in page.Figures)
            {
                var report = Sorted(await figure.Report(run));
                var floor = Sorted(await run.QueryAsync(figure.Floor(run)));
                if (!report.SequenceEqual(floor))
                {
                    problems.Add($"{database}, {page.Name}, {figure.Name}: the report gives [{string.Join(", ", report.Except(floor).Take(5))}] where the floor gives [{string.Join(", ", floor.Except(report).Take(5))}].");
                }
            }

            // The page as it loads: its reports one after the other, peak memory from a high-water mark reset just before.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await File.WriteAllTextAsync("/proc/self/clear_refs", "5");
            var reportTimes = new List<TimeSpan>();
            var pageTime = Stopwatch.StartNew();
            foreach (var figure in page.Figures)
            {
                var stopwatch = Stopwatch.StartNew();
                await figure.Report(run);
                reportTimes.Add(stopwatch.Elapsed);
            }

            pageTime.Stop();
            var peak = ImportBenchmark.HighWaterMarkKilobytes(Environment.ProcessId) / 1024;
            for (var i = 0; i < page.Figures.Count; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                await run.QueryAsync(page.Figures[i].Floor(run));
                var floorTime = stopwatch.Elapsed;
                var ratio = reportTimes[i] / floorTime;
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {(i == 0 ? page.Name : "")} | {(i == 0 ? Seconds(pageTime.Elapsed) + (pageTime.Elapsed > pageTarget ? $" (over {pageTarget.TotalSeconds:0} s)" : "") : "")} | {(i == 0 ? $"{peak:N0} MB" : "")} | {page.Figures[i].Name} | {Seconds(reportTimes[i])} | {Seconds(floorTime)} | {ratio:N2}×{(ratio > RatioTarget ? $" (over {RatioTarget:0.0}×)" : "")} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"| {database}: page | wall time | peak memory (process) | figure | report | floor | report ÷ floor |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        lines.ForEach(Console.WriteLine);
        return BenchmarkDatabase.ExitCode(problems);
    }

    /// <summary>Migrates with the CLI, stores the demo's campaigns, survey version and model, and bulk-loads the customers.</summary>
    private static async Task<DemoDataOptions> SeedAsync(
        string database, Dictionary<string, string?> environment, DemoDataOptions? calibrated, int customers, int orders, int responses)
    {
        Console.WriteLine($"{database}:");
        await ImportBenchmark.CliAsync(environment, "migrate");
        var settings = BenchmarkDatabase.Settings(environment);
        await using var db = BenchmarkDatabase.Context(settings);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        using var models = new ActiveReasonModel(TimeProvider.System, NullLogger<ActiveReasonModel>.Instance);
        var generator = new DemoDataGenerator(db, TimeProvider.System, models, Options.Create(new ChurnOptions()), Options.Create(new SurveyOptions()));
        var world = await generator.PrepareAsync(calibrated ?? new DemoDataOptions { Customers = customers, AsOf = AsOf }, CancellationToken.None);
        if (calibrated is null)
        {
            world = Calibrate(world, customers, orders, responses);
        }

        var loading = Stopwatch.StartNew();
        var progress = new Progress<int>(done => Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r  loading: {done:N0} of {customers:N0} customers")));
        var result = await new DemoBulkLoad(db, world).LoadAsync(settings, customers, progress);
        Console.Error.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  demo data (purchase rate {world.Options.PurchaseRate:0.###}, response rate {world.Options.ResponseRate:0.###}): {result.Customers:N0} customers, {result.Orders:N0} orders, {result.SubscriptionEvents:N0} subscription events, {result.ChurnEvents:N0} churn events, {result.SurveyInvitations:N0} invitations, {result.SurveyResponses:N0} responses, {result.DiscountCodes:N0} discount codes; invented and bulk-loaded with indexes in {loading.Elapsed.TotalSeconds:N1} s"));

        // The report summaries from all rows (PostgreSQL's bulk load bypassed the triggers that list changes), as a
        // first dashboard read after an upgrade would build them.
        var building = Stopwatch.StartNew();
        var summaries = new ReportSummaries(db, settings, Options.Create(new EmailOptions()));
        await summaries.ForgetAsync(CancellationToken.None);
        await summaries.CatchUpAsync(CancellationToken.None);
        if (settings.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("""VACUUM (ANALYZE) "CustomerMonths", "CampaignOutcomes", "LostRevenues", "DiscountHistories" """);
        }

        var (customerMonths, outcomes, churns, histories) =
            (await db.CustomerMonths.CountAsync(), await db.CampaignOutcomes.CountAsync(), await db.LostRevenues.CountAsync(), await db.DiscountHistories.CountAsync());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  report summaries: {customerMonths:N0} customer months, {outcomes:N0} campaign outcomes, {churns:N0} churns, {histories:N0} discount histories built from all rows in {building.Elapsed.TotalSeconds:N1} s"));
        return world.Options;
    }

    /// <summary>
    /// The purchase and response rates that give about <paramref name="orders"/> orders and
    /// <paramref name="responses"/> answers for <paramref name="customers"/> customers, tuned on the
    /// first few thousand customers (the same ones every time).
    /// </summary>
    private static DemoWorld Calibrate(DemoWorld world, int customers, int orders, int responses)
    {
        var sample = Math.Min(customers, 4_000);
        var options = world.Options;
        for (var round = 0; round < 4; round++)
        {
            var invented = Enumerable.Range(0, sample).Select(world.With(options).Invent).ToList();
            var ordersEach = invented.Average(c => c.Customer.Orders.Count);
            var answersEach = invented.Average(c => c.Responses.Count);
            // Every customer orders once whatever the rate; the repeat orders follow the rate.
            options = options with
            {
                PurchaseRate = options.PurchaseRate * Math.Max(0.05, ((double)orders / customers) - 1) / Math.Max(0.05, ordersEach - 1),
                ResponseRate = answersEach == 0 ? options.ResponseRate : options.ResponseRate * responses / customers / answersEach,
            };
        }

        return world.With(options);
    }

    private static async Task<int> MeasureInOwnProcessAsync(string database, Dictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FeedbackHub.Benchmarks.dll"));
        start.ArgumentList.Add(MeasureVerb);
        start.ArgumentList.Add(database);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static List<string> Sorted(IEnumerable<string> rows) => [.. rows.Order(StringComparer.Ordinal)];

    private static string Seconds(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:N3} s");
}
