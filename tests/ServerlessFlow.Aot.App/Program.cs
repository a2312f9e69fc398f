using Microsoft.Extensions.DependencyInjection;
using ServerlessFlow;
using ServerlessFlow.Aot.App;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Worker;

// Registration reads no attributes and the worker calls and creates nothing through reflection (generated code), and payloads
// serialize with generated metadata: set the switch so a reflection call would fail the run rather than pass unnoticed.
AppContext.SetSwitch("ServerlessFlow.DisallowReflectionInvoke", true);

var services = new ServiceCollection();
services.AddLogging();
services.AddSingleton<IGreetingFormat, GreetingFormat>();
services.AddServerlessFlow(flow => flow.AddGeneratedDefinitions().UseJsonTypeInfoResolver(AppJson.Default).UseInMemoryBackend());
await using var provider = services.BuildServiceProvider();
using var stop = new CancellationTokenSource();
var worker = provider.GetRequiredService<WorkflowWorker>().RunAsync(stop.Token);
var client = provider.GetRequiredService<IWorkflowClient>();

using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
var handle = await client.StartGreetingWorkflowAsync(new GreetingRequest("Ada", 2), new StartWorkflowOptions { Id = "aot-greeting" }, deadline.Token);
while (await StatusAsync() != "waiting for approval")
{
    await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
}

Console.WriteLine("query status: waiting for approval");
await handle.SignalApproveAsync(new Approval("lead"), cancellationToken: deadline.Token);
var report = await handle.GetResultAsync(deadline.Token);
Console.WriteLine($"query status: {await StatusAsync()}");
Console.WriteLine($"result: {string.Join(", ", report.Greetings)} (approved by {report.ApprovedBy})");
await stop.CancelAsync();
await worker;
return 0;

// A query before the run's first task has run is refused; that is the one failure waited out here.
async Task<string?> StatusAsync()
{
    try
    {
        return await handle.QueryStatusAsync(deadline.Token);
    }
    catch (InvalidWorkflowRequestException)
    {
        return null;
    }
}
