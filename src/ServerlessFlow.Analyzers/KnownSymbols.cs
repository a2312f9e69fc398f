using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ServerlessFlow.Analyzers;

/// <summary>The types the rules look for, resolved once per compilation (null when the compilation does not reference them).</summary>
internal sealed class KnownSymbols
{
    private readonly Dictionary<INamedTypeSymbol, DiagnosticDescriptor> wholeTypes = new(SymbolEqualityComparer.Default);

    private KnownSymbols(Compilation compilation)
    {
        WorkflowAttribute = compilation.GetTypeByMetadataName("ServerlessFlow.WorkflowAttribute");
        WorkflowRunAttribute = compilation.GetTypeByMetadataName("ServerlessFlow.WorkflowRunAttribute");
        WorkflowSignalAttribute = compilation.GetTypeByMetadataName("ServerlessFlow.WorkflowSignalAttribute");
        WorkflowQueryAttribute = compilation.GetTypeByMetadataName("ServerlessFlow.WorkflowQueryAttribute");
        WorkflowUpdateAttribute = compilation.GetTypeByMetadataName("ServerlessFlow.WorkflowUpdateAttribute");
        WorkflowUpdateValidatorAttribute = compilation.GetTypeByMetadataName("ServerlessFlow.WorkflowUpdateValidatorAttribute");
        ActivityAttribute = compilation.GetTypeByMetadataName("ServerlessFlow.ActivityAttribute");
        Workflow = compilation.GetTypeByMetadataName("ServerlessFlow.Workflow");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        GenericTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        GenericValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        DateTime = compilation.GetTypeByMetadataName("System.DateTime");
        DateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        TimeProvider = compilation.GetTypeByMetadataName("System.TimeProvider");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        Guid = compilation.GetTypeByMetadataName("System.Guid");
        Random = compilation.GetTypeByMetadataName("System.Random");
        Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
        TaskFactory = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory");
        TaskScheduler = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskScheduler");
        Environment = compilation.GetTypeByMetadataName("System.Environment");
        Logger = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.ILogger");
        LoggerExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.LoggerExtensions");
        ExpressionOfT = compilation.GetTypeByMetadataName("System.Linq.Expressions.Expression`1");

        Add(compilation, Rules.Stopwatch, "System.Diagnostics.Stopwatch");
        Add(compilation, Rules.ThreadsAndTasks, "System.Threading.ThreadPool", "System.Threading.Tasks.Parallel", "System.Threading.Timer",
            "System.Timers.Timer", "System.Threading.PeriodicTimer");
        Add(compilation, Rules.Locks, "System.Threading.Monitor", "System.Threading.SemaphoreSlim", "System.Threading.Semaphore",
            "System.Threading.Mutex", "System.Threading.ReaderWriterLock", "System.Threading.ReaderWriterLockSlim", "System.Threading.ManualResetEvent",
            "System.Threading.ManualResetEventSlim", "System.Threading.AutoResetEvent", "System.Threading.CountdownEvent", "System.Threading.Barrier",
            "System.Threading.Lock", "System.Threading.SpinLock", "System.Threading.WaitHandle");
        Add(compilation, Rules.InputOutput, "System.IO.File", "System.IO.Directory", "System.IO.FileInfo", "System.IO.DirectoryInfo",
            "System.IO.FileStream", "System.IO.StreamReader", "System.IO.StreamWriter", "System.IO.FileSystemWatcher", "System.IO.DriveInfo",
            "System.IO.RandomAccess", "System.Console", "System.Net.Http.HttpMessageInvoker", "System.Net.WebClient", "System.Net.WebRequest",
            "System.Net.Dns", "System.Net.Sockets.Socket", "System.Net.Sockets.TcpClient", "System.Net.Sockets.UdpClient",
            "System.Net.Sockets.NetworkStream", "System.Diagnostics.Process", "System.Data.Common.DbConnection", "System.Data.Common.DbCommand",
            "System.Data.IDbConnection", "System.Data.IDbCommand", "Microsoft.EntityFrameworkCore.DbContext");
    }

    public INamedTypeSymbol? WorkflowAttribute { get; }

    public INamedTypeSymbol? WorkflowRunAttribute { get; }

    public INamedTypeSymbol? WorkflowSignalAttribute { get; }

    public INamedTypeSymbol? WorkflowQueryAttribute { get; }

    public INamedTypeSymbol? WorkflowUpdateAttribute { get; }

    public INamedTypeSymbol? WorkflowUpdateValidatorAttribute { get; }

    public INamedTypeSymbol? ActivityAttribute { get; }

    public INamedTypeSymbol? Workflow { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? GenericTask { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? GenericValueTask { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? DateTime { get; }

    public INamedTypeSymbol? DateTimeOffset { get; }

    public INamedTypeSymbol? TimeProvider { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? Guid { get; }

    public INamedTypeSymbol? Random { get; }

    public INamedTypeSymbol? Thread { get; }

    public INamedTypeSymbol? TaskFactory { get; }

    public INamedTypeSymbol? TaskScheduler { get; }

    public INamedTypeSymbol? Environment { get; }

    public INamedTypeSymbol? Logger { get; }

    public INamedTypeSymbol? LoggerExtensions { get; }

    public INamedTypeSymbol? ExpressionOfT { get; }

    /// <summary>Resolves the symbols; null when the compilation does not reference the programming model (nothing to analyze).</summary>
    public static KnownSymbols? Create(Compilation compilation)
    {
        var known = new KnownSymbols(compilation);
        return known.WorkflowAttribute is null || known.Workflow is null ? null : known;
    }

    /// <summary>The rule that every use of <paramref name="type"/> (or a type derived from it) breaks, if any.</summary>
    public DiagnosticDescriptor? RuleForType(ITypeSymbol? type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (wholeTypes.TryGetValue(current.OriginalDefinition, out var rule))
            {
                return rule;
            }

            if (current.ContainingNamespace?.ToDisplayString() is { } ns && ns.StartsWith("Azure.", System.StringComparison.Ordinal)
                && current.Name.EndsWith("Client", System.StringComparison.Ordinal))
            {
                return Rules.InputOutput; // an Azure SDK client: every call is a network request
            }
        }

        return type?.AllInterfaces.Select(i => wholeTypes.TryGetValue(i.OriginalDefinition, out var r) ? r : null).FirstOrDefault(r => r is not null);
    }

    public static bool Is(ISymbol? symbol, INamedTypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(symbol?.OriginalDefinition, type);

    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute) =>
        attribute is not null && symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));

    public bool IsWorkflow(INamedTypeSymbol type) => HasAttribute(type, WorkflowAttribute);

    /// <summary>True for the methods the engine calls: run, signal, query, update and validator handlers.</summary>
    public bool IsEntryPoint(ISymbol member) =>
        HasAttribute(member, WorkflowRunAttribute) || HasAttribute(member, WorkflowSignalAttribute) || HasAttribute(member, WorkflowQueryAttribute)
        || HasAttribute(member, WorkflowUpdateAttribute) || HasAttribute(member, WorkflowUpdateValidatorAttribute);

    /// <summary>True for Task, Task&lt;T&gt;, ValueTask and ValueTask&lt;T&gt;.</summary>
    public bool IsAwaitable(ITypeSymbol? type) =>
        Is(type, Task) || Is(type, GenericTask) || Is(type, ValueTask) || Is(type, GenericValueTask);

    /// <summary>The T of Task&lt;T&gt; or ValueTask&lt;T&gt;; null for Task or ValueTask; the type itself otherwise.</summary>
    public ITypeSymbol? ResultOf(ITypeSymbol type) =>
        Is(type, GenericTask) || Is(type, GenericValueTask) ? ((INamedTypeSymbol)type).TypeArguments[0]
        : Is(type, Task) || Is(type, ValueTask) || type.SpecialType == SpecialType.System_Void ? null
        : type;

    private void Add(Compilation compilation, DiagnosticDescriptor rule, params string[] names)
    {
        foreach (var name in names)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                wholeTypes[type] = rule;
            }
        }
    }
}
