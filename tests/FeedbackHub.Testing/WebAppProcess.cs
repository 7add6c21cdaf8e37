using System.Collections.Concurrent;
using System.Diagnostics;

namespace FeedbackHub.Testing;

/// <summary>
/// The real web app in its own process (the FeedbackHub.Web.dll beside the calling assembly) on a free
/// loopback port, configured by environment variables, healthy once started. Its standard output and
/// error are kept for a test to show when it fails; disposing kills it.
/// </summary>
public sealed class WebAppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WebAppProcess(Process process, Uri baseAddress, string name)
    {
        (_process, BaseAddress, Name) = (process, baseAddress, name);
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public Uri BaseAddress { get; }

    /// <summary>What the test calls this process in messages (e.g. "node A").</summary>
    public string Name { get; }

    /// <summary>Everything the app wrote so far, stdout and stderr interleaved as they arrived.</summary>
    public string Output => string.Join('\n', _output);

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
    public static async Task<string> CreateApiKeyAsync(IReadOnlyDictionary<string, string?> environment, string workingDirectory, string scopes)
    {
        var key = await CliAsync(environment, workingDirectory, ["apikeys", "create", "--name", "test", "--scopes", scopes]);
        return key.LastOutputLine.Split(' ').Single(p => p.StartsWith("secret=", StringComparison.Ordinal))["secret=".Length..];
    }

    /// <summary>Runs the command line (feedbackhub.dll beside the calling assembly) on the same settings; fails unless it exits with 0.</summary>
    public static async Task<ProcessResult> CliAsync(
        IReadOnlyDictionary<string, string?> environment, string workingDirectory, IReadOnlyList<string> arguments, string? standardInput = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var cli = Path.Combine(AppContext.BaseDirectory, "feedbackhub.dll");
        var result = await ProcessRunner.RunAsync("dotnet", [cli, .. arguments], environment, workingDirectory, standardInput);
        return result.ExitCode == 0
            ? result
            : throw new InvalidOperationException($"feedbackhub {string.Join(' ', arguments)} failed: {result}");
    }

    public static async Task<WebAppProcess> StartAsync(Dictionary<string, string?> environment, string workingDirectory, string name = "web app")
    {
        ArgumentNullException.ThrowIfNull(environment);
        var port = LoopbackPorts.Free();
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FeedbackHub.Web.dll"));
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var app = new WebAppProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"), name);
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
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private async Task WaitForHealthAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        for (var attempt = 0; attempt < 240; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} while starting:\n{Output}");
            }

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

        throw new TimeoutException($"{Name} did not become healthy within 60 seconds:\n{Output}");
    }
}
