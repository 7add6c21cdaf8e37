namespace FeedbackHub.Benchmarks;

internal static class ApiBenchmark
{
    public static Task<int> RunAsync(TimeSpan duration, int clients) => Task.FromResult(0 * (int)duration.TotalSeconds * clients);
}
