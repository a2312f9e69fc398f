using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ServerlessFlow.Functions;

// The Function App is a shell: everything it runs is registered by the hosting library, exactly as in the dev server.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddFunctionApp(builder.Configuration);
await builder.Build().RunAsync();
