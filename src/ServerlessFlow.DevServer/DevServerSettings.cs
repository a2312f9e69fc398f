using Microsoft.Extensions.DependencyInjection;

namespace ServerlessFlow.DevServer;

/// <summary>What a program that hosts the dev server decides for its users (the command line decides the rest).</summary>
public sealed record DevServerSettings
{
    /// <summary>
    /// The user's project folder: where Azurite is looked for (with every folder above it), installed when missing
    /// (<c>.serverlessflow/azurite</c>) and keeps its data (<c>.serverlessflow/data</c>). Null: the nearest folder
    /// with a project file (<c>*.csproj</c>) above the program, which is the project's own folder under <c>dotnet run</c>.
    /// </summary>
    public string? ProjectFolder { get; init; }

    /// <summary>Where Azurite persists; null: <c>.serverlessflow/data</c> in <see cref="ProjectFolder"/>. <c>--data-folder</c> overrides it.</summary>
    public string? DataFolder { get; init; }

    /// <summary>Lines the banner shows after the addresses, e.g. curl commands that start an example workflow; <c>{api}</c> is replaced by the API's base URL.</summary>
    public string? Example { get; init; }

    /// <summary>Registers the services activities take (HttpClient, a DbContext …), after ServerlessFlow's.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
