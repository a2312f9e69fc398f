// The one storage account behind everything: the Functions host (AzureWebJobsStorage), the Flex
// Consumption deployment package, and the ServerlessFlow engine's tables and queues.
// Shared keys are disabled, so every client (host, engine, deployment) authenticates with Entra ID.

@description('Name of the storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the storage account.')
param location string

@description('Tags applied to the storage account.')
param tags object

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param skuName string

@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Tables the engine uses, created up front so the first request does not race to create them.')
param tableNames string[]

@description('Queues the engine and the queue triggers use, created up front for the same reason.')
param queueNames string[]

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    // Entra ID only: no account keys, no SAS signed with them, no connection strings that could leak.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    // Flex Consumption without a virtual network reaches storage over its public endpoint;
    // access is still gated by Entra ID and the identity's data-plane roles.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource engineTables 'tables' = [
      for tableName in tableNames: {
        name: tableName
      }
    ]
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource engineQueues 'queues' = [
      for queueName in queueNames: {
        name: queueName
      }
    ]
  }
}

@description('Name of the storage account.')
output name string = storage.name

@description('Resource ID of the storage account, the scope of the data-plane role assignments.')
output resourceId string = storage.id

@description('Blob endpoint, e.g. https://<account>.blob.core.windows.net/.')
output blobEndpoint string = storage.properties.primaryEndpoints.blob

@description('Queue endpoint, e.g. https://<account>.queue.core.windows.net/.')
output queueEndpoint string = storage.properties.primaryEndpoints.queue

@description('Table endpoint, e.g. https://<account>.table.core.windows.net/.')
output tableEndpoint string = storage.properties.primaryEndpoints.table
