// The identity's roles, each on the narrowest scope that works and nothing more:
// - Storage Blob Data Owner: the Functions host keeps its keys, leases and timer schedules in blob
//   containers it creates, and Flex Consumption reads the deployment package from a container.
//   Owner, not Contributor, is what Microsoft documents for an identity-based AzureWebJobsStorage.
// - Storage Queue Data Contributor: the engine sends, receives and deletes task messages; the
//   queue triggers do the same; the host creates "-poison" queues when it gives up on a message.
// - Storage Table Data Contributor: the engine's workflow histories and dead letters.
// - Monitoring Metrics Publisher, on the Application Insights component only: needed because that
//   component accepts Entra ID-authenticated telemetry only (local auth disabled).

@description('Name of the storage account the storage roles are scoped to.')
param storageAccountName string

@description('Name of the Application Insights component the telemetry role is scoped to.')
param applicationInsightsName string

@description('Name of the user-assigned identity that receives the roles.')
param identityName string

// Built-in role definition IDs: fixed GUIDs, the same in every Azure tenant.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

var storageRoles = [
  {
    roleDefinitionId: storageBlobDataOwner
    description: 'Functions host state (keys, leases, timers) and the Flex Consumption deployment package.'
  }
  {
    roleDefinitionId: storageQueueDataContributor
    description: 'ServerlessFlow workflow and activity task queues.'
  }
  {
    roleDefinitionId: storageTableDataContributor
    description: 'ServerlessFlow workflow histories and dead letters.'
  }
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in storageRoles: {
    // Deterministic and known before deployment (the identity's resource ID, not its runtime
    // principal ID): redeploying updates the same assignment, and what-if can predict it.
    name: guid(storage.id, identity.id, role.roleDefinitionId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.roleDefinitionId)
      principalId: identity.properties.principalId
      // Skips the directory lookup that fails while a just-created identity is still replicating.
      principalType: 'ServicePrincipal'
      description: role.description
    }
  }
]

resource telemetryRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identity.id, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'Entra ID-authenticated telemetry to Application Insights (local auth is disabled).'
  }
}
