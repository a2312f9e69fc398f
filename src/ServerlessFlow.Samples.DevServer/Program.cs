using ServerlessFlow.Azurite;
using ServerlessFlow.DevServer;
using ServerlessFlow.Samples;

// The repository's dev server: the dev server every user runs, with the samples registered and its data under the
// repository's .data/ (git-ignored), where `./build.sh dev` has always kept it.
var repository = AzuriteLocator.FindRepositoryRoot();
return await ServerlessFlowDevServer.RunAsync(args, flow => flow.AddSamples(), new DevServerSettings
{
    ProjectFolder = repository,
    DataFolder = Path.Combine(repository, ".data", "azurite"),
    Example = """
        Start the HelloSequence sample and wait for its result:
          curl -X POST '{api}/workflows/HelloSequence?id=demo' -d '{"count":5,"delayMs":200}'
          curl '{api}/workflows/demo/result?wait=30'
        """,
});
