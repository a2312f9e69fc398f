using System.CommandLine;
using ServerlessFlow.Cli.Output;

namespace ServerlessFlow.Cli;

/// <summary>The options every command takes: where the API is, its key, and how to print answers.</summary>
internal sealed class GlobalOptions
{
    /// <summary>The dev server's API, where <c>./build.sh dev</c> listens.</summary>
    public const string DefaultAddress = "http://127.0.0.1:7071/api";

    /// <summary>The environment variable that replaces the default address.</summary>
    public const string AddressVariable = "SERVERLESSFLOW_ADDRESS";

    /// <summary>The environment variable that holds the function key.</summary>
    public const string KeyVariable = "SERVERLESSFLOW_KEY";

    /// <summary>Creates the options, reading their defaults through <paramref name="environment"/>.</summary>
    public GlobalOptions(Func<string, string?> environment)
    {
        Address = new Option<Uri>("--address")
        {
            Description = $"The API's base URL [env {AddressVariable}; default {DefaultAddress}]",
            Recursive = true,
            DefaultValueFactory = _ => new Uri(NonEmpty(environment(AddressVariable)) ?? DefaultAddress),
            CustomParser = result =>
            {
                var text = result.Tokens[^1].Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                {
                    return uri;
                }

                result.AddError($"--address '{text}' is not an http(s) URL; give the API's base, e.g. {DefaultAddress}.");
                return null;
            },
        };
        Key = new Option<string?>("--key")
        {
            Description = $"A function key, sent as x-functions-key (a Function App needs one) [env {KeyVariable}]",
            Recursive = true,
            DefaultValueFactory = _ => NonEmpty(environment(KeyVariable)),
        };
        Output = new Option<OutputFormat>("--output", "-o")
        {
            Description = "How to print answers",
            Recursive = true,
            DefaultValueFactory = _ => OutputFormat.Table,
        };
    }

    /// <summary><c>--address</c>.</summary>
    public Option<Uri> Address { get; }

    /// <summary><c>--key</c>.</summary>
    public Option<string?> Key { get; }

    /// <summary><c>--output json|table</c>.</summary>
    public Option<OutputFormat> Output { get; }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
