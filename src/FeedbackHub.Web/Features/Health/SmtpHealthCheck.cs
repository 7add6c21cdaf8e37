using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Email;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Health;

/// <summary>
/// Whether mail can leave. With an SMTP relay: it accepts a connection and answers EHLO (nothing is
/// sent, and no login is tried, so a check never locks an account). Unreachable is Degraded, not
/// Unhealthy: every node shares the relay, emails wait in the outbox and are retried, and a load
/// balancer taking all nodes out would only add an outage. With the pickup folder: the folder takes
/// a file; if not, this node cannot send at all, so Unhealthy. A result is kept for
/// <see cref="CacheFor"/>, so that frequent <c>/healthz</c> polls do not open an SMTP session each.
/// </summary>
public sealed class SmtpHealthCheck(IOptions<EmailOptions> options, StorageSettings storage, TimeProvider time) : IHealthCheck, IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _oneProbe = new(1, 1);
    // A reference, so a poll that reads it outside the lock sees a whole result or none, never half of one.
    private CachedResult? _cached;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (Cached() is { } cached)
        {
            return cached;
        }

        // Concurrent polls wait for one probe instead of each opening a connection.
        await _oneProbe.WaitAsync(cancellationToken);
        try
        {
            if (Cached() is { } fresh)
            {
                return fresh;
            }

            var email = options.Value;
            var result = email.UsesSmtp ? await ProbeSmtpAsync(email.Smtp, cancellationToken) : ProbePickupFolder(email, storage);
            _cached = new CachedResult(result, time.GetUtcNow() + CacheFor);
            return result;
        }
        finally
        {
            _oneProbe.Release();
        }
    }

    public void Dispose() => _oneProbe.Dispose();

    private HealthCheckResult? Cached() => _cached is { } cached && time.GetUtcNow() < cached.Until ? cached.Result : null;

    private sealed record CachedResult(HealthCheckResult Result, DateTimeOffset Until);

    private static async Task<HealthCheckResult> ProbeSmtpAsync(SmtpSettings smtp, CancellationToken cancellationToken)
    {
        var target = $"SMTP relay {smtp.Host}:{smtp.Port}";
        var started = Stopwatch.GetTimestamp();
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(smtp.Host!, smtp.Port, patience.Token);
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            var greeting = await ReadReplyAsync(reader, patience.Token);
            if (!greeting.StartsWith("220", StringComparison.Ordinal))
            {
                return HealthCheckResult.Degraded($"The {target} refuses sessions: it greeted with '{greeting}'. Emails wait in the outbox and are retried.");
            }

            await WriteAsync(stream, $"EHLO {System.Net.Dns.GetHostName()}", patience.Token);
            var hello = await ReadReplyAsync(reader, patience.Token);
            await WriteAsync(stream, "QUIT", patience.Token);
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return hello.StartsWith("250", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy($"The {target} answered EHLO in {milliseconds:0} ms.")
                : HealthCheckResult.Degraded($"The {target} refused EHLO with '{hello}'. Emails wait in the outbox and are retried.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded(
                $"The {target} did not answer within {Patience.TotalSeconds:0} s. Emails wait in the outbox and are retried.");
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return HealthCheckResult.Degraded(
                $"The {target} cannot be reached: {ex.Message} Emails wait in the outbox and are retried.", ex);
        }
    }

    /// <summary>The last line of a (possibly multi-line, <c>250-…</c>) SMTP reply.</summary>
    private static async Task<string> ReadReplyAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken) ?? throw new IOException("The server closed the connection.");
            if (line.Length < 4 || line[3] != '-')
            {
                return line;
            }
        }
    }

    private static Task WriteAsync(Stream stream, string command, CancellationToken cancellationToken) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), cancellationToken).AsTask();

    private static HealthCheckResult ProbePickupFolder(EmailOptions email, StorageSettings storage)
    {
        var folder = email.PickupDirectory ?? "mail-pickup in the data folder";
        try
        {
            folder = email.PickupFolder(storage);
            var probe = Path.Combine(folder, $".healthz-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return HealthCheckResult.Healthy($"No SMTP relay is set; mail goes to the pickup folder {folder}, which is writable.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"No SMTP relay is set and the mail pickup folder {folder} is not writable: {ex.Message}", ex);
        }
    }
}
