// ServerlessFlow on Azure: a Flex Consumption Function App (Linux, .NET isolated) with its storage,
// identity, roles and monitoring, deployed into an existing resource group:
//
//   az deployment group create --resource-group <rg> --template-file infra/main.bicep
//
// subscription.bicep wraps this file to create the resource group too (that is what azd uses).
// Nothing here uses a key or a connection string: every client authenticates as one user-assigned
// managed identity that holds only the data roles it needs.

targetScope = 'resourceGroup'

@description('Short name of this deployment, e.g. "prod" or an azd environment name; it seeds the generated resource names.')
@minLength(1)
@maxLength(32)
param environmentName string = 'serverlessflow'

@description('Azure region of every resource. Flex Consumption is not offered in every region: run "az functionapp list-flexconsumption-locations".')
param location string = resourceGroup().location

// WARNING: changing it on a deployment with running workflows orphans them: they stay in the old tables.
@description('Prefix of the engine\'s storage names: tables {prefix}workflows, {prefix}deadletters, {prefix}visibility and {prefix}schedules, queues {prefix}-wf-{taskQueue} and {prefix}-act-{taskQueue}. At most 26 lowercase letters and digits, starting with a letter (with "-act-" and a 32-character task queue that fills a 63-character queue name).')
@minLength(1)
@maxLength(26)
param storagePrefix string = 'sf'

@description('Task queues this app serves (lowercase letters, digits and single hyphens, at most 32 characters each). Their workflow and activity queues are created; the queue triggers bind to the first one\'s.')
@minLength(1)
param taskQueues string[] = [
  'default'
]

@description('Days a closed workflow is kept (counted from its close) before retention deletes its history and index entries.')
@minValue(1)
@maxValue(36500)
param retentionDays int = 30

@description('ID of the payload key new payloads are encoded with (AES-GCM); empty stores payloads as plain JSON. See docs/security.md.')
@maxLength(64)
param payloadCodecCurrentKeyId string = ''

@description('Payload keys by ID, each the URI of a Key Vault secret holding base64 of 32 random bytes; the app reads them as Key Vault references through its managed identity, which needs "Key Vault Secrets User" on the vault.')
param payloadCodecKeySecretUris object = {}

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Most instances the Function App scales out to (Flex Consumption allows 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each Function App instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Name of the Function App; generated when empty. It becomes <name>.azurewebsites.net, so it must be globally unique.')
@maxLength(60)
param functionAppName string = ''

@description('Name of the storage account; generated when empty. 3-24 lowercase letters and digits, globally unique.')
@maxLength(24)
param storageAccountName string = ''

@description('Tags applied to every resource.')
param tags object = {}

// Stable per resource group and environment, so redeploying updates the same resources.
var resourceToken = toLower(uniqueString(resourceGroup().id, environmentName))
var baseName = toLower(environmentName)

var names = {
  identity: 'id-${baseName}-${resourceToken}'
  storage: !empty(storageAccountName) ? storageAccountName : 'st${take(replace(baseName, '-', ''), 9)}${resourceToken}'
  logAnalytics: 'log-${baseName}-${resourceToken}'
  applicationInsights: 'appi-${baseName}-${resourceToken}'
  plan: 'plan-${baseName}-${resourceToken}'
  functionApp: !empty(functionAppName) ? functionAppName : 'func-${baseName}-${resourceToken}'
}

// Flex Consumption reads the app's package from this blob container.
var deploymentContainerName = 'app-package'

// The engine's storage names, the same ones the code derives from the prefix and the task queues.
var workflowsTable = '${storagePrefix}workflows'
var deadLettersTable = '${storagePrefix}deadletters'
var visibilityTable = '${storagePrefix}visibility'
var schedulesTable = '${storagePrefix}schedules'
var workflowQueues = [for taskQueue in taskQueues: '${storagePrefix}-wf-${taskQueue}']
var activityQueues = [for taskQueue in taskQueues: '${storagePrefix}-act-${taskQueue}']

// azd finds the resource to deploy the "api" service of azure.yaml to by this tag.
var functionAppTags = union(tags, {
  'azd-service-name': 'api'
})

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: tags
    skuName: storageSkuName
    deploymentContainerName: deploymentContainerName
    tableNames: [
      workflowsTable
      deadLettersTable
      visibilityTable
      schedulesTable
    ]
    queueNames: concat(workflowQueues, activityQueues)
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    // Names known before deployment (not module outputs), so what-if can predict the assignments.
    storageAccountName: names.storage
    applicationInsightsName: names.applicationInsights
    identityName: names.identity
  }
  dependsOn: [
    identity
    storage
    monitoring
  ]
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  params: {
    planName: names.plan
    appName: names.functionApp
    location: location
    tags: functionAppTags
    identityResourceId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: names.applicationInsights
    storagePrefix: storagePrefix
    taskQueues: taskQueues
    workflowQueueName: workflowQueues[0]
    activityQueueName: activityQueues[0]
    retentionDays: retentionDays
    payloadCodecCurrentKeyId: payloadCodecCurrentKeyId
    payloadCodecKeySecretUris: payloadCodecKeySecretUris
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
  // The host reads its storage on first start: let the identity's roles exist before the app does.
  dependsOn: [
    monitoring
    roles
  ]
}

@description('Name of the Function App, for "func azure functionapp publish <name>".')
output functionAppName string = functionApp.outputs.name

@description('Base URL of the Function App.')
output functionAppUrl string = 'https://${functionApp.outputs.defaultHostName}'

@description('Base URL of the ServerlessFlow HTTP API, e.g. POST {apiBaseUrl}/workflows/{type}.')
output apiBaseUrl string = 'https://${functionApp.outputs.defaultHostName}/api'

@description('Name of the storage account that holds the engine\'s tables and queues.')
output storageAccountName string = storage.outputs.name

@description('Client ID of the managed identity the app runs as.')
output managedIdentityClientId string = identity.outputs.clientId

@description('Name of the Application Insights component.')
output applicationInsightsName string = monitoring.outputs.applicationInsightsName
