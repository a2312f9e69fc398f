using System.Net;
using System.Net.Sockets;

namespace ServerlessFlow.DevServer;

/// <summary>Finds loopback ports for Azurite and waits for them to accept connections.</summary>
internal static class LoopbackPorts
{
    /// <summary>Azurite's usual blob, queue and table ports, which tools such as Storage Explorer expect.</summary>
    public static readonly int[] AzuriteDefaults = [10000, 10001, 10002];

    /// <summary>The default ports when all three are free, otherwise three ports the OS hands out.</summary>
    public static int[] ChooseAzuritePorts() =>
        AzuriteDefaults.All(IsFree) ? AzuriteDefaults : [FreePort(), FreePort(), FreePort()];

    /// <summary>True when nothing listens on <paramref name="port"/> and it can be bound.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A port the OS considers free right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>True once a TCP connection to <paramref name="port"/> succeeds.</summary>
    public static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
