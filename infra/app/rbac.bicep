// Role assignments: what the app's user-assigned identity (and, optionally, the developer running
// azd) may do on the storage account and Application Insights. This replaces every key and
// connection string. main.bicep deploys it before the function app, so the roles are in place
// (and propagating) before the site first starts.

@description('Storage account the roles are granted on.')
param storageAccountName string

@description('Application Insights component the publisher role is granted on.')
param applicationInsightsName string

@description('Principal id of the function app\'s user-assigned managed identity.')
param appPrincipalId string

@description('Object id of the developer or CI identity running azd; empty grants nothing.')
param userPrincipalId string = ''

@description('Type of userPrincipalId.')
@allowed(['User', 'ServicePrincipal'])
param userPrincipalType string = 'User'

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher
}

// The three storage roles, each for a reason: blobs hold host leases, large messages and the
// deployment package (Owner, as the host needs blob leases and container management); queues
// carry orchestration and activity messages; tables hold the task hub's history and instances.
var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

// No developer roles when no developer identity is given.
var userStorageRoleIds = empty(userPrincipalId) ? [] : storageRoles

// Existing storage account, the scope of the storage roles.
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

// Existing Application Insights, the scope of the publisher role.
resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// The app's identity gets blob, queue and table data access: Durable Functions needs all three.
resource appStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    name: guid(storage.id, appPrincipalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

// The app's identity may publish telemetry (Application Insights has local auth disabled).
resource appTelemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Optional: the developer's own identity gets the same storage roles, to inspect the task hub
// (history tables, queues) with Storage Explorer or the Durable Functions Monitor without keys.
resource userStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in userStorageRoleIds: {
    name: guid(storage.id, userPrincipalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: userPrincipalId
      principalType: userPrincipalType
    }
  }
]
