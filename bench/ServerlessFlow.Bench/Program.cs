using ServerlessFlow.Bench;

// Usage: ServerlessFlow.Bench [--workflows 200] [--concurrency 50] [--activities 5] [--delay-ms 0] [--connection-string CS]
var options = BenchOptions.Parse(args);
var connectionString = options.ConnectionString ?? throw new InvalidOperationException("Pass --connection-string (./build.sh bench starts Azurite and passes it).");
Console.WriteLine((await BenchRun.RunAsync(options, connectionString)).ToString());
