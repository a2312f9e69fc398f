using ServerlessFlow.DevServer;
using ServerlessFlowApp;

// The dev server for this app: the same HTTP API and worker as the Function App, on Azurite, with the app's workflows.
// Azurite is found in the project (or installed once into .serverlessflow/azurite); its data stays in .serverlessflow/data.
return await ServerlessFlowDevServer.RunAsync(args, flow => flow.AddAppWorkflows(), new DevServerSettings
{
    Example = """
        Start the example order workflow and wait for its result:
          curl -X POST '{api}/workflows/OrderWorkflow?id=order-1' -d '{"orderId":"order-1","item":"book","quantity":1,"amount":12.5}'
          curl '{api}/workflows/order-1/result?wait=30'
        """,
});
