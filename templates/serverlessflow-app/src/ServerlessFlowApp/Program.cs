using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessFlow.Hosting;
using ServerlessFlow.Functions;
using ServerlessFlow.Hosting.Http;
using ServerlessFlowApp;

// The Function App hosts the engine through ServerlessFlow.Hosting; the functions in Functions/ hand each trigger to it.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// OpenTelemetry: the worker's spans and logs and the engine's, to Application Insights when infra configures it.
FunctionAppTelemetry.Add(builder.Services, builder.Configuration);
builder.Services.AddServerlessFlowHosting(builder.Configuration, flow => flow.AddAppWorkflows());
builder.Services.AddServerlessFlowStorageInitialization();

// The Functions host forwards each HTTP request with a path it rebuilds from its decoded form, so %2F and %252F
// arrive alike: path IDs that would be ambiguous are refused with 400, never misread.
builder.Services.AddSingleton(new HttpApiOptions { RequestTargetRebuiltByProxy = true });
await builder.Build().RunAsync();
