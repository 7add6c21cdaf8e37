using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FeedbackHub.Testing;

/// <summary>A reply the scripted server gives, e.g. <c>new(451, "4.7.1 Try again later")</c>.</summary>
public sealed record SmtpReply(int Code, string Text)
{
    public static SmtpReply Ok { get; } = new(250, "2.0.0 OK");

    public override string ToString() => $"{Code} {Text}";
}

/// <summary>
/// A small SMTP peer written for tests: it speaks just enough SMTP for <c>SmtpClient</c> and answers
/// each recipient with whatever the test's script says, so retries, refusals and bounces can be
/// produced on demand. It keeps every message it accepted and counts connections.
/// </summary>
public sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, int, SmtpReply> _recipientReply;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Task _accepting;
    private int _openConnections;
    private int _peakConnections;

    /// <param name="recipientReply">Given the recipient and how many times it was tried before (0 the first time), the reply to RCPT TO.</param>
    public ScriptedSmtpServer(Func<string, int, SmtpReply>? recipientReply = null)
    {
        _recipientReply = recipientReply ?? ((_, _) => SmtpReply.Ok);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>The raw text of every message accepted, in order of arrival.</summary>
    public ConcurrentQueue<string> Accepted { get; } = new();

    /// <summary>The most connections that were open at the same time.</summary>
    public int PeakConnections => Volatile.Read(ref _peakConnections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var sessions = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                sessions.Add(ServeAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(sessions).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ServeAsync(TcpClient client)
    {
        var open = Interlocked.Increment(ref _openConnections);
        for (var peak = Volatile.Read(ref _peakConnections); open > peak; peak = Volatile.Read(ref _peakConnections))
        {
            Interlocked.CompareExchange(ref _peakConnections, open, peak);
        }

        try
        {
            using (client)
            await using (var stream = client.GetStream())
            {
                using var reader = new StreamReader(new QuickAckStream(client.Client, stream), Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 scripted.test ESMTP");
                string? recipient = null;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                    switch (command)
                    {
                        case "EHLO" or "HELO":
                            await writer.WriteLineAsync("250 scripted.test");
                            break;
                        case "MAIL":
                            recipient = null;
                            await writer.WriteLineAsync("250 2.1.0 OK");
                            break;
                        case "RCPT":
                            var address = line[(line.IndexOf('<', StringComparison.Ordinal) + 1)..line.LastIndexOf('>')];
                            var reply = _recipientReply(address, _attempts.AddOrUpdate(address, 0, (_, n) => n + 1));
                            recipient = reply.Code < 300 ? address : null;
                            await writer.WriteLineAsync(reply.ToString());
                            if (reply.Code == 421)
                            {
                                // "Service not available, closing transmission channel": a real server hangs up.
                                return;
                            }

                            break;
                        case "DATA" when recipient is null:
                            await writer.WriteLineAsync("503 5.5.1 No valid recipients");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                            var message = new StringBuilder();
                            while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                            {
                                message.AppendLine(dataLine);
                            }

                            Accepted.Enqueue(message.ToString());
                            await writer.WriteLineAsync("250 2.0.0 Queued");
                            break;
                        case "RSET" or "NOOP":
                            await writer.WriteLineAsync("250 2.0.0 OK");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 2.0.0 Bye");
                            return;
                        default:
                            await writer.WriteLineAsync("502 5.5.2 Command not implemented");
                            break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up or the server stopped.
        }
        finally
        {
            Interlocked.Decrement(ref _openConnections);
        }
    }

    /// <summary>
    /// Reads from the connection and, on Linux, acknowledges what arrived at once. SmtpClient sends the
    /// end-of-data line in a write of its own, and Nagle's algorithm holds that write back until the
    /// message before it is acknowledged; a receiver that delays its ACKs (Linux does, by about 40 ms,
    /// in request-reply traffic such as SMTP) then stalls every email by that long, and a benchmark
    /// against this server would measure the stall rather than the sender.
    /// </summary>
    private sealed class QuickAckStream(Socket socket, Stream inner) : Stream
    {
        /// <summary>TCP_QUICKACK from linux/tcp.h; .NET has no name for it.</summary>
        private const int TcpQuickAck = 12;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            AcknowledgeAtOnce();
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            AcknowledgeAtOnce();
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        /// <summary>TCP_QUICKACK is not sticky: the kernel may return to delayed ACKs, so it is set again after every read.</summary>
        private void AcknowledgeAtOnce()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            try
            {
                socket.SetRawSocketOption((int)SocketOptionLevel.Tcp, TcpQuickAck, BitConverter.GetBytes(1));
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The connection is closing; there is nothing left to acknowledge quickly.
            }
        }
    }
}
