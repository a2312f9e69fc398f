using System.Net;
using System.Net.Sockets;

namespace ServerlessFlow.Azurite;

/// <summary>Chooses loopback ports for Azurite and tells when they accept connections.</summary>
internal static class LoopbackPorts
{
    /// <summary>Azurite's usual blob, queue and table ports, which tools such as Storage Explorer expect.</summary>
    private static readonly int[] AzuriteDefaults = [10000, 10001, 10002];

    /// <summary>Blob, queue and table ports: the defaults when preferred and all free, otherwise three the OS hands out.</summary>
    public static int[] Choose(bool preferDefaults) =>
        preferDefaults && AzuriteDefaults.All(IsFree) ? [.. AzuriteDefaults] : FreePorts(AzuriteDefaults.Length);

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

    private static bool IsFree(int port)
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

    /// <summary>Distinct free ports: bound together to port 0 so the OS cannot hand out one twice, then released.</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(listener => listener.Start());
            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }
}
