using System.Text;
using Azure.Core;

namespace ServerlessFlow.TestSupport;

/// <summary>What a test's pipeline policy matches a storage request on.</summary>
public static class RequestBody
{
    /// <summary>The body of <paramref name="request"/> as text; empty when it has none.</summary>
    public static string Text(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Content is null)
        {
            return string.Empty;
        }

        using var body = new MemoryStream();
        request.Content.WriteTo(body, CancellationToken.None);
        return Encoding.UTF8.GetString(body.ToArray());
    }
}
