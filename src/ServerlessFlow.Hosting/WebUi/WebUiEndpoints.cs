using System.Collections.Frozen;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.WebUi;

/// <summary>
/// The web UI: plain HTML, CSS and ES modules embedded in this assembly (no CDN, nothing fetched at run time),
/// served under <c>/api/ui/</c> by both hosts. The page calls the HTTP API at <c>/api/</c>, its parent path. Behind a
/// function key (<c>/api/ui/?code=KEY</c>) the key is passed on to every module through an import map, and to every
/// API call as <c>x-functions-key</c>.
/// </summary>
public static class WebUiEndpoints
{
    /// <summary>Route template of the UI below <see cref="Http.ApiRoutes.Prefix"/>; the Function App's UI function uses it as its route.</summary>
    public const string Template = "ui/{*path}";

    /// <summary>The page's path under the API prefix, with the trailing slash its relative links need.</summary>
    public const string PagePath = "/" + Http.ApiRoutes.Prefix + "/ui/";

    private const string ResourcePrefix = "webui/";
    private const string IndexFile = "index.html";

    /// <summary>The function key parameter a Function App reads, which the page hands on.</summary>
    private const string KeyParameter = "code";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, byte[]> Files = LoadFiles();

    /// <summary>Serves one file of the UI (<c>GET /api/ui/{path}</c>); the empty path is the page.</summary>
    public static Task<IResult> ServeAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.RouteValues["path"] as string ?? "";
        if (path.Length == 0 && !request.Path.Value!.EndsWith('/'))
        {
            // Relative module and API links resolve against the directory, so the page lives at .../ui/.
            return Task.FromResult(Results.Redirect(request.PathBase + request.Path + "/" + request.QueryString));
        }

        var name = path.Length == 0 ? IndexFile : path;
        if (!Files.TryGetValue(name, out var content) || !ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
        {
            return Task.FromResult(Results.NotFound());
        }

        if (name == IndexFile)
        {
            content = Page(content, request.Query[KeyParameter].FirstOrDefault());
        }

        // The files change with each deploy; revalidating is cheap and never shows a stale mix of modules.
        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        return Task.FromResult(Results.Bytes(content, contentType));
    }

    /// <summary>The page, with the key (if any) appended to its stylesheet, its entry module and, by an import map, every module it imports.</summary>
    private static byte[] Page(byte[] template, string? key)
    {
        var keyQuery = string.IsNullOrEmpty(key) ? "" : "?" + KeyParameter + "=" + Uri.EscapeDataString(key);
        var importMap = keyQuery.Length == 0
            ? ""
            : "<script type=\"importmap\">" + JsonSerializer.Serialize(new
            {
                imports = Files.Keys.Where(f => f.EndsWith(".js", StringComparison.Ordinal)).ToDictionary(f => "./" + f, f => "./" + f + keyQuery),
            }) + "</script>";
        var html = Encoding.UTF8.GetString(template).Replace("{{query}}", keyQuery, StringComparison.Ordinal).Replace("{{importmap}}", importMap, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(html);
    }

    private static FrozenDictionary<string, byte[]> LoadFiles()
    {
        var assembly = typeof(WebUiEndpoints).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[ResourcePrefix.Length..], n => Read(assembly, n), StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
