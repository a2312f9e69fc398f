using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessFlow.AzureStorage;
using ServerlessFlow.Chaos.Worker;
using ServerlessFlow.Engine;
using ServerlessFlow.Hosting;
using ServerlessFlow.TestSupport;

ChaosWorkerOptions options;
try
{
    options = ChaosWorkerOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + ChaosWorkerOptions.Usage);
    return 2;
}

var faults = new FaultInjectionPolicy(options.Rates, options.Seed, new MessageDelayer(options.ConnectionString).DelayAsync);
var builder = Host.CreateApplicationBuilder([]);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
    o.UseUtcTimestamp = true;
});
// CHAOS_LOG_LEVEL (inherited from the test) turns on the engine's Information logs when a seed is replayed for diagnosis.
builder.Logging.SetMinimumLevel(Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("CHAOS_LOG_LEVEL"), out var level) ? level : LogLevel.Warning);
builder.Services.AddSingleton(faults);
builder.Services.AddSingleton(new ExecutionJournal(options.Journal));
builder.Services.AddServerlessFlow(flow => flow
    .UseAzureStorage(new AzureStorageOptions
    {
        ConnectionString = options.ConnectionString,
        Prefix = options.Prefix,
        Policies = [faults],
        MaxRetries = options.MaxRetries,
        RetryDelay = ChaosTiming.StorageRetryDelay,
    })
    .ConfigureWorker(worker => ChaosTiming.Apply(worker, options.Queued))
    .AddChaosWorkflows());
builder.Services.AddServerlessFlowPollingWorker();
builder.Services.AddHostedService<FaultReport>();

using var host = builder.Build();
await host.StartAsync();
Console.WriteLine($"{ChaosTiming.ReadyLine} pid={Environment.ProcessId}");
await host.WaitForShutdownAsync();
return 0;
