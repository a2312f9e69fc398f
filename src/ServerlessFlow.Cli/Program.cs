using System.CommandLine;
using ServerlessFlow.Cli;

return await CliApplication.RunAsync(args, new InvocationConfiguration(), Environment.GetEnvironmentVariable);
