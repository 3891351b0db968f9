// Telemetry for the app: a Log Analytics workspace and a workspace-based Application Insights
// that accepts data only from Microsoft Entra identities (no ingestion with the key alone).

@description('Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Azure region of both resources.')
param location string = resourceGroup().location

@description('Tags applied to both resources.')
param tags object = {}

@description('Days the workspace keeps logs; 30 is the free retention.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

// Log Analytics stores the traces and requests, so KQL queries (traceReplayEvents) can read them.
resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    retentionInDays: retentionInDays
    sku: {
      name: 'PerGB2018'
    }
  }
}

// Application Insights on that workspace; local auth off, so the app must send telemetry with its
// managed identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING + Monitoring Metrics Publisher).
resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
  }
}

output applicationInsightsName string = applicationInsights.name
output logAnalyticsName string = logAnalytics.name
