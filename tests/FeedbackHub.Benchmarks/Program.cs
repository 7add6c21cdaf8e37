using System.Globalization;
using FeedbackHub.Benchmarks;

// dotnet run -c Release --project tests/FeedbackHub.Benchmarks -- import [ROWS]
// dotnet run -c Release --project tests/FeedbackHub.Benchmarks -- api [SECONDS] [CLIENTS]
// dotnet run -c Release --project tests/FeedbackHub.Benchmarks -- dispatch [EMAILS]
// dotnet run -c Release --project tests/FeedbackHub.Benchmarks -- dispatch-memory [EMAILS]
// dotnet run -c Release --project tests/FeedbackHub.Benchmarks -- thank-you [ORDERS]
// dotnet run -c Release --project tests/FeedbackHub.Benchmarks -- redeem [SECONDS] [CLIENTS]
// dotnet run -c Release --project tests/FeedbackHub.Benchmarks -- churn [CUSTOMERS] [ORDERS]
// dotnet run -c Release --project tests/FeedbackHub.Benchmarks -- analytics [CUSTOMERS] [ORDERS] [RESPONSES]
// dotnet run -c Release --project tests/FeedbackHub.Benchmarks -- survey-submit [SECONDS] [RATE]
// dotnet run -c Release --project tests/FeedbackHub.Benchmarks -- classifier [BenchmarkDotNet arguments, e.g. --filter *Predict*]
// dotnet run -c Release --project tests/FeedbackHub.Benchmarks -- classifier-size
var verb = args.FirstOrDefault() ?? "import";
int Number(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
return verb switch
{
    "import" => await ImportBenchmark.RunAsync(Number(1, 1_000_000)),
    "api" => await ApiBenchmark.RunAsync(TimeSpan.FromSeconds(Number(1, 20)), Number(2, 4)),
    "dispatch" => await DispatchBenchmark.RunAsync(Number(1, 5_000)),
    "dispatch-memory" => await DispatchBenchmark.MemoryAsync(Number(1, 100_000)),
    "thank-you" => await ThankYouBenchmark.RunAsync(Number(1, 100_000)),
    "redeem" => await RedeemBenchmark.RunAsync(TimeSpan.FromSeconds(Number(1, 20)), Number(2, 8)),
    "churn" => await ChurnBenchmark.RunAsync(Number(1, 1_000_000), Number(2, 5_000_000)),
    "analytics" => await AnalyticsBenchmark.RunAsync(Number(1, 1_000_000), Number(2, 5_000_000), Number(3, 100_000)),
    // The analytics benchmark's measuring half, started by it in a process of its own.
    AnalyticsBenchmark.MeasureVerb => await AnalyticsBenchmark.MeasureAsync(args[1]),
    "survey-submit" => await SurveySubmitBenchmark.RunAsync(TimeSpan.FromSeconds(Number(1, 20)), Number(2, 200)),
    "classifier" => ClassifierBenchmarks.Run(args[1..]),
    "classifier-size" => ClassifierBenchmarks.Size(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: FeedbackHub.Benchmarks import [ROWS] | api [SECONDS] [CLIENTS] | dispatch [EMAILS] | dispatch-memory [EMAILS] | thank-you [ORDERS] | redeem [SECONDS] [CLIENTS] | churn [CUSTOMERS] [ORDERS] | analytics [CUSTOMERS] [ORDERS] [RESPONSES] | survey-submit [SECONDS] [RATE] | classifier [BENCHMARKDOTNET ARGS] | classifier-size");
    return 2;
}
