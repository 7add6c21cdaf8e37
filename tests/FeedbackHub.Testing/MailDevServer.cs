using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace FeedbackHub.Testing;

/// <summary>
/// A real SMTP server for the tests: MailDev from tests/node_modules (installed by tests/run.sh),
/// on free loopback ports, read back through its REST API.
/// </summary>
public sealed class MailDevServer : IAsyncLifetime, IDisposable
{
    private Process? _process;
    private HttpClient? _http;

    public int SmtpPort { get; private set; }

    public int WebPort { get; private set; }

    public async Task InitializeAsync()
    {
        var program = Path.Combine(RepositoryRoot(), "tests", "node_modules", ".bin", "maildev");
        if (!File.Exists(program))
        {
            throw new InvalidOperationException($"MailDev is not installed at {program}: run tests/run.sh (it runs 'npm ci --prefix tests').");
        }

        (SmtpPort, WebPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--smtp", $"{SmtpPort}", "--web", $"{WebPort}", "--ip", "127.0.0.1", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("MailDev did not start.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{WebPort}/") };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var response = await _http.GetAsync(new Uri("email", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("MailDev did not answer within 10 seconds.");
    }

    /// <summary>Every email MailDev has received, as its REST API describes them.</summary>
    public async Task<IReadOnlyList<JsonElement>> EmailsAsync() =>
        await _http!.GetFromJsonAsync<List<JsonElement>>("email") ?? [];

    /// <summary>The raw message as received (headers and every MIME part).</summary>
    public Task<string> SourceAsync(string id) => _http!.GetStringAsync(new Uri($"email/{id}/source", UriKind.Relative));

    public async Task ClearAsync() => (await _http!.DeleteAsync(new Uri("email/all", UriKind.Relative))).Dispose();

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        Dispose();
    }

    public void Dispose()
    {
        _http?.Dispose();
        _process?.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FeedbackHub.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the FeedbackHub repository.");
    }

}
