// The Flex Consumption plan and the Function App on it. Every connection the app makes is
// identity-based through the user-assigned identity: no keys, no connection strings.

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the Function App (globally unique: it is the host name).')
param appName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags applied to the plan and the app.')
param tags object

@description('Resource ID of the user-assigned identity the app runs as.')
param identityResourceId string

@description('Client ID of the user-assigned identity: selects it in the *__clientId settings.')
param identityClientId string

@description('Name of the storage account used by the host, the deployment and the engine.')
param storageAccountName string

@description('Blob endpoint of the storage account (with a trailing slash).')
param blobEndpoint string

@description('Queue endpoint of the storage account.')
param queueEndpoint string

@description('Table endpoint of the storage account.')
param tableEndpoint string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Prefix of the engine\'s table and queue names.')
param storagePrefix string

@description('Task queues this app serves; the queue triggers bind to the first one\'s queues.')
param taskQueues string[]

@description('Queue the workflow-task trigger binds to.')
param workflowQueueName string

@description('Queue the activity-task trigger binds to.')
param activityQueueName string

@description('Days a closed workflow is kept before retention deletes it.')
param retentionDays int

@description('ID of the payload key new payloads are encoded with; empty for none.')
param payloadCodecCurrentKeyId string

@description('Payload keys by ID: Key Vault secret URIs, read as Key Vault references.')
param payloadCodecKeySecretUris object

@description('Most instances the app scales out to.')
param maximumInstanceCount int

@description('Memory of each instance in MB.')
param instanceMemoryMB int

// The .NET version functions/ targets: .NET 10 (LTS), the newest that Flex Consumption runs in the
// isolated model; .NET 8 and 9 left support on 10 November 2026. See docs/deploy.md.
var dotnetVersion = '10.0'

// Name of the connection the engine's clients and the queue triggers use ("Connection" on the
// trigger attributes); its settings are the ServerlessFlowStorage__* below.
var engineConnection = 'ServerlessFlowStorage'

// The payload codec's settings: the current key ID and one Key Vault reference per key (resolved by the platform through
// the app's identity, so no key is in the template or the app settings' values). None when no key ID is given.
var payloadCodecSettings = empty(payloadCodecCurrentKeyId) ? [] : concat([
  {
    name: 'ServerlessFlow__PayloadCodec__CurrentKeyId'
    value: payloadCodecCurrentKeyId
  }
], map(items(payloadCodecKeySecretUris), key => {
  name: 'ServerlessFlow__PayloadCodec__Keys__${key.key}'
  value: '@Microsoft.KeyVault(SecretUri=${key.value})'
}))

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    // Linux: Flex Consumption runs on Linux only.
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      // Flex Consumption takes the worker runtime here; FUNCTIONS_WORKER_RUNTIME and
      // FUNCTIONS_EXTENSION_VERSION are rejected as app settings on this plan.
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
    // Key Vault references (the payload keys) resolve as the user-assigned identity, like every other connection.
    keyVaultReferenceIdentity: identityResourceId
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: concat([
        // The Functions host's own storage: keys, leases, timer schedules.
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storageAccountName
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        // Telemetry: the connection string only addresses the component; the authentication
        // string makes the SDK send an Entra ID token obtained as the user-assigned identity.
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: applicationInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        // The engine's storage, read by the hosting library and by the queue triggers.
        {
          name: '${engineConnection}__tableServiceUri'
          value: tableEndpoint
        }
        {
          name: '${engineConnection}__queueServiceUri'
          value: queueEndpoint
        }
        {
          name: '${engineConnection}__blobServiceUri'
          value: blobEndpoint
        }
        {
          name: '${engineConnection}__credential'
          value: 'managedidentity'
        }
        {
          name: '${engineConnection}__clientId'
          value: identityClientId
        }
        // What the engine serves, and the physical queues the triggers bind to (%...% in the
        // trigger attributes), so a deployment chooses its task queues without code changes.
        {
          name: 'ServerlessFlow__Storage__Prefix'
          value: storagePrefix
        }
        {
          name: 'ServerlessFlow__TaskQueues'
          value: join(taskQueues, ',')
        }
        {
          name: 'ServerlessFlow__WorkflowQueue'
          value: workflowQueueName
        }
        {
          name: 'ServerlessFlow__ActivityQueue'
          value: activityQueueName
        }
        {
          name: 'ServerlessFlow__RetentionDays'
          value: string(retentionDays)
        }
      ], payloadCodecSettings)
    }
  }

  // Deployments authenticate with Entra ID (azd, Core Tools, the Azure CLI all do on Flex
  // Consumption), so the SCM site's basic-auth publishing password is switched off.
  resource scmBasicAuth 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

@description('Name of the Function App.')
output name string = functionApp.name

@description('Default host name of the Function App, e.g. <app>.azurewebsites.net.')
output defaultHostName string = functionApp.properties.defaultHostName
