using System.Diagnostics;
using FeedbackHub.Testing;

namespace FeedbackHub.Benchmarks;

/// <summary>The real web app in its own process on a free loopback port, healthy once started; disposing stops it.</summary>
internal sealed class WebAppProcess : IAsyncDisposable
{
    private readonly Process _process;

    private WebAppProcess(Process process, Uri baseAddress) => (_process, BaseAddress) = (process, baseAddress);

    public Uri BaseAddress { get; }

    /// <summary>The CPU time the app has used so far (user and system).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Creates an API key with the command line, on the database <paramref name="environment"/> names; returns its secret.</summary>
    public static async Task<string> CreateApiKeyAsync(Dictionary<string, string?> environment, string workingDirectory, string scopes)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "feedbackhub.dll");
        var key = await ProcessRunner.RunAsync("dotnet", [cli, "apikeys", "create", "--name", "benchmark", "--scopes", scopes], environment, workingDirectory);
        if (key.ExitCode != 0)
        {
            throw new InvalidOperationException($"feedbackhub apikeys create failed: {key}");
        }

        return key.LastOutputLine.Split(' ').Single(p => p.StartsWith("secret=", StringComparison.Ordinal))["secret=".Length..];
    }

    public static async Task<WebAppProcess> StartAsync(Dictionary<string, string?> environment, string workingDirectory)
    {
        var port = LoopbackPorts.Free();
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FeedbackHub.Web.dll"));
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var app = new WebAppProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"));
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        try
        {
            await app.WaitForHealthAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private async Task WaitForHealthAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        for (var attempt = 0; attempt < 120; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The web app did not become healthy.");
    }
}
