using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FeedbackHub.Testing;

/// <summary>Ports for servers the tests start; they listen on 127.0.0.1 only.</summary>
public static class LoopbackPorts
{
    /// <summary>A port that was free a moment ago (the OS picks it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A free port below the range the OS hands out for outgoing connections, for a server a test
    /// stops and starts again. While it is down, clients keep connecting to it, and each attempt takes
    /// a local port from that range: one could land on the server's own port (a TCP connection to
    /// itself) and keep it from starting again.
    /// </summary>
    public static int FreeForRestart()
    {
        var firstEphemeral = FirstEphemeralPort();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20_000, firstEphemeral);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken; try another.
            }
        }

        throw new InvalidOperationException($"No free port between 20000 and {firstEphemeral}.");
    }

    /// <summary>Linux says in ip_local_port_range; 32768 is its default and below the 49152 that Windows and macOS use.</summary>
    private static int FirstEphemeralPort()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range)
            && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture, out var first)
            && first > 20_100
                ? first
                : 32_768;
    }
}
