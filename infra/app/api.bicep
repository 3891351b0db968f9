// The function app: a Flex Consumption plan and the Linux Python site, running as the user-assigned
// identity that main.bicep created and granted its roles first. Storage, telemetry and the
// deployment package are all reached with that identity; no key appears here.

@description('Name of the function app (also its default host name prefix).')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region of the plan and the app.')
param location string = resourceGroup().location

@description('Tags applied to the plan and the app.')
param tags object = {}

@description('azd service name from azure.yaml; azd finds the app to deploy to by this tag.')
param serviceName string = 'api'

@description('Storage account used by the host, the task hub and the deployment container.')
param storageAccountName string

@description('Blob container that holds the deployment package.')
param deploymentStorageContainerName string

@description('Application Insights component the app sends telemetry to.')
param applicationInsightsName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity: the app settings name it so the host picks it, not another.')
param identityClientId string

@description('Python version of the worker (functionAppConfig.runtime).')
@allowed(['3.11', '3.12'])
param pythonVersion string = '3.12'

@description('Upper bound on instances the plan scales out to; caps the cost of a runaway demo.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory per instance in MB; 2048 is the default size.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Browser origins allowed by CORS. Empty: no CORS (server-to-server callers need none). Never use *.')
param corsAllowedOrigins array = []

@description('INVOICE_API_URL; empty means the app itself when the billing stand-in is on.')
param invoiceApiUrl string = ''

@description('FAKE_BILLING_API_ENABLED: register the anonymous stand-in billing API.')
param fakeBillingApiEnabled bool = false

@description('MAX_INVOICE_COUNT: the most invoices one run may bill, whatever route starts it.')
@minValue(1)
param maxInvoiceCount int = 1000

@description('INVOICE_API_MAX_ATTEMPTS: attempts per invoice for the two fixes (1 = no retry).')
@minValue(1)
param invoiceApiMaxAttempts int = 5

@description('INVOICE_API_RETRY_INTERVAL_MS: first back-off before a billing retry; doubles each time.')
@minValue(0)
param invoiceApiRetryIntervalMs int = 1000

@description('FAKE_BILLING_LATENCY_MS: how long the stand-in billing API waits before answering.')
@minValue(0)
param fakeBillingLatencyMs int = 100

@description('TASK_HUB_NAME: Durable Functions task hub (host.json reads %TASK_HUB_NAME%).')
@minLength(3)
@maxLength(45)
param taskHubName string

@description('PYTHON_THREADPOOL_THREAD_COUNT: threads for synchronous functions in the worker.')
@minValue(1)
@maxValue(32)
param pythonThreadpoolThreadCount int = 16

@description('Trace every replayed orchestrator step (traceReplayEvents) and turn sampling off, so KQL counts are exact.')
param traceReplayEvents bool = false

// Existing storage account, read for its name and blob endpoint.
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

// Existing Application Insights, read for its connection string (an endpoint + id, not a secret:
// local auth is disabled, so ingestion needs the identity).
resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Flex Consumption (FC1): serverless Linux plan with per-function scaling and scale to zero.
resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

// The app. Runtime, package location and scale live in functionAppConfig on Flex Consumption, so
// FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION and siteConfig.ftpsState are not set (the
// platform rejects or ignores them there; FTP does not exist on Flex).
resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      cors: {
        allowedOrigins: corsAllowedOrigins
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentStorageContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'python'
        version: pythonVersion
      }
    }
  }
}

// The stand-in billing API of this very app, used when no external API is given.
var selfBillingUrl = 'https://${site.properties.defaultHostName}/api/billing/invoices'
var defaultInvoiceApiUrl = fakeBillingApiEnabled ? selfBillingUrl : ''
var effectiveInvoiceApiUrl = empty(invoiceApiUrl) ? defaultInvoiceApiUrl : invoiceApiUrl

// The settings this template owns. Storage and telemetry go through the user-assigned identity
// (the __clientId and ClientId= parts pick it); the three service URIs are what Durable Functions
// needs (blobs, queues, tables). FUNCTIONS_WORKER_PROCESS_COUNT is not set: Flex Consumption
// does not accept it.
var appSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  INVOICE_API_URL: effectiveInvoiceApiUrl
  MAX_INVOICE_COUNT: string(maxInvoiceCount)
  INVOICE_API_MAX_ATTEMPTS: string(invoiceApiMaxAttempts)
  INVOICE_API_RETRY_INTERVAL_MS: string(invoiceApiRetryIntervalMs)
  FAKE_BILLING_API_ENABLED: fakeBillingApiEnabled ? 'true' : 'false'
  FAKE_BILLING_LATENCY_MS: string(fakeBillingLatencyMs)
  TASK_HUB_NAME: taskHubName
  PYTHON_THREADPOOL_THREAD_COUNT: string(pythonThreadpoolThreadCount)
  AzureFunctionsJobHost__extensions__durableTask__tracing__traceReplayEvents: traceReplayEvents ? 'true' : 'false'
  // Counting replays in KQL needs every trace: sampling (on in host.json) is off while tracing.
  AzureFunctionsJobHost__logging__applicationInsights__samplingSettings__isEnabled: traceReplayEvents ? 'false' : 'true'
}

// Applied after the site exists (INVOICE_API_URL may name its own host) and merged into what the
// site already has, so a setting added in the portal or with `az functionapp config appsettings
// set` survives `azd provision`; a name set here wins.
module settings 'appsettings.bicep' = {
  name: '${name}-appsettings'
  params: {
    siteName: site.name
    currentAppSettings: list('${site.id}/config/appsettings', '2024-04-01').properties
    appSettings: appSettings
  }
}

// Basic-auth FTP publishing off: deployments use Microsoft Entra tokens only.
resource ftpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

// Basic-auth SCM (Kudu) publishing off, for the same reason; azd and func use Entra tokens.
resource scmPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output invoiceApiUrl string = effectiveInvoiceApiUrl
