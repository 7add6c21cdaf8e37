using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace FeedbackHub.Testing;

/// <summary>
/// A real SMTP server for the tests: MailDev from tests/node_modules (installed by tests/run.sh),
/// on free loopback ports, read back through its REST API. It keeps what it receives in a folder of
/// its own, so a test can stop it and start it again on the same ports without losing mail.
/// </summary>
public sealed partial class MailDevServer : IAsyncLifetime, IDisposable
{
    private readonly TemporaryDirectory _mailDirectory = new("feedbackhub-maildev-");
    private Process? _process;
    private HttpClient? _http;

    public int SmtpPort { get; private set; }

    public int WebPort { get; private set; }

    public async Task InitializeAsync()
    {
        (SmtpPort, WebPort) = (LoopbackPorts.FreeForRestart(), LoopbackPorts.FreeForRestart());
        await StartAsync();
    }

    /// <summary>Starts MailDev on its ports; after <see cref="StopAsync"/>, again with every message it had stored.</summary>
    public async Task StartAsync()
    {
        var program = Path.Combine(RepositoryRoot(), "tests", "node_modules", ".bin", "maildev");
        if (!File.Exists(program))
        {
            throw new InvalidOperationException($"MailDev is not installed at {program}: run tests/run.sh (it runs 'npm ci --prefix tests').");
        }

        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--smtp", $"{SmtpPort}", "--web", $"{WebPort}", "--ip", "127.0.0.1", "--mail-directory", _mailDirectory.Path, "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        _process?.Dispose();
        _process = Process.Start(start) ?? throw new InvalidOperationException("MailDev did not start.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _http?.Dispose();
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

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"MailDev exited with {_process.ExitCode} (is port {SmtpPort} or {WebPort} taken?).");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("MailDev did not answer within 10 seconds.");
    }

    /// <summary>
    /// Stops MailDev as a service manager would: SIGTERM, on which it finishes the message it is
    /// receiving, answers any further command with 421 and exits once its clients hang up; SIGKILL if
    /// it is still running after 10 seconds.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        // An idle keep-alive connection to its web server would hold its exit up.
        _http?.Dispose();
        _http = null;
        await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Every email MailDev has received, as its REST API describes them.</summary>
    public async Task<IReadOnlyList<JsonElement>> EmailsAsync() =>
        await _http!.GetFromJsonAsync<List<JsonElement>>("email") ?? [];

    /// <summary>
    /// The emails once MailDev lists at least <paramref name="count"/>: it stores a message a moment
    /// after accepting it over SMTP, so a test that just sent must wait for it (10 s unless told otherwise).
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForEmailsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        var emails = await EmailsAsync();
        while (emails.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            emails = await EmailsAsync();
        }

        return emails;
    }

    /// <summary>The raw message as received (headers and every MIME part).</summary>
    public Task<string> SourceAsync(string id) => _http!.GetStringAsync(new Uri($"email/{id}/source", UriKind.Relative));

    public async Task ClearAsync() => (await _http!.DeleteAsync(new Uri("email/all", UriKind.Relative))).Dispose();

    /// <summary>How many messages MailDev has begun to store: cheap to ask often, unlike the REST API, which returns every message whole.</summary>
    public int StoredCount => Directory.EnumerateFiles(_mailDirectory.Path, "*.eml").Count();

    /// <summary>
    /// The Message-ID of every message stored in full, before and after restarts; a message received
    /// twice is listed twice. MailDev creates a message's file when its data starts to arrive and
    /// keeps what it got when the sender vanishes halfway, which a real server would throw away
    /// (the sender never got its 250), so a multipart message counts only when it ends with its
    /// closing boundary.
    /// </summary>
    public IReadOnlyList<string> StoredMessageIds()
    {
        var ids = new List<string>();
        foreach (var file in Directory.EnumerateFiles(_mailDirectory.Path, "*.eml"))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException)
            {
                continue;
            }

            var headers = text[..Math.Max(0, text.IndexOf("\r\n\r\n", StringComparison.Ordinal))];
            var complete = BoundaryHeader().Match(headers) is not { Success: true } boundary
                || text.TrimEnd().EndsWith($"--{boundary.Groups[1].Value}--", StringComparison.Ordinal);
            if (complete && MessageIdHeader().Match(headers) is { Success: true } id)
            {
                ids.Add(id.Groups[1].Value);
            }
        }

        return ids;
    }

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
        _mailDirectory.Dispose();
    }

    [GeneratedRegex(@"boundary=""?([^"";\r\n]+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryHeader();

    [GeneratedRegex(@"^Message-ID:\s*<([^>]+)>", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex MessageIdHeader();

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
