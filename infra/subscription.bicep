// Subscription-scope entry: creates the resource group, then deploys main.bicep into it.
// azd uses this file (azure.yaml: infra.module = subscription); by hand:
//
//   az deployment sub create --location <region> --template-file infra/subscription.bicep \
//     --parameters environmentName=<name> location=<region>

targetScope = 'subscription'

@description('Name of the environment (azd passes AZURE_ENV_NAME); it names the resource group and seeds resource names.')
@minLength(1)
@maxLength(32)
param environmentName string

@description('Azure region of the resource group and every resource in it.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Name of the resource group to create; "rg-<environmentName>" when empty.')
@maxLength(90)
param resourceGroupName string = ''

@description('Prefix of the engine\'s table and queue names.')
@minLength(1)
@maxLength(26)
param storagePrefix string = 'sf'

@description('Task queues this app serves; the queue triggers bind to the first one\'s queues.')
@minLength(1)
param taskQueues string[] = [
  'default'
]

// azd finds the resources of an environment by this tag.
var tags = {
  'azd-env-name': environmentName
}

resource resourceGroup 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module app 'main.bicep' = {
  name: 'serverlessflow-${environmentName}'
  scope: resourceGroup
  params: {
    environmentName: environmentName
    location: location
    storagePrefix: storagePrefix
    taskQueues: taskQueues
    tags: tags
  }
}

// Upper-case outputs become azd environment values (azd env get-values).
@description('Resource group that holds the deployment.')
output AZURE_RESOURCE_GROUP string = resourceGroup.name

@description('Name of the Function App.')
output AZURE_FUNCTION_APP_NAME string = app.outputs.functionAppName

@description('Base URL of the ServerlessFlow HTTP API.')
output SERVERLESSFLOW_API_URL string = app.outputs.apiBaseUrl

@description('Name of the storage account with the engine\'s tables and queues.')
output AZURE_STORAGE_ACCOUNT_NAME string = app.outputs.storageAccountName
