// Durable Invoices on Azure (`azd up`): one Flex Consumption function app running the three
// orchestrators side by side, reaching storage and telemetry with its user-assigned managed
// identity (no keys).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name (AZURE_ENV_NAME); seeds the resource names and the azd-env-name tag.')
param environmentName string

// Regions that offer Flex Consumption, so azd offers only these: the list in Microsoft's
// Azure-Samples/durable-functions-quickstart-python-azd (infra/main.bicep at d402727, 2025-10-10),
// taken 2026-11-28, without its canary region eastus2euap. Regions added since are missing here:
// `az functionapp list-flexconsumption-locations -o table` shows today's list.
@minLength(1)
@description('Region for every resource; it must offer Flex Consumption.')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the identity running azd (AZURE_PRINCIPAL_ID); gets storage data roles to inspect the task hub. Empty grants nothing.')
param principalId string = ''

@description('Type of principalId: User for a person, ServicePrincipal for a CI identity.')
@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@description('Register the anonymous stand-in billing API (/api/billing/*) in Azure. Off unless you want a self-contained demo.')
param fakeBillingApiEnabled bool = false

@description('Billing API the orchestrators POST to. Empty: the app\'s own /api/billing/invoices when fakeBillingApiEnabled is true.')
param invoiceApiUrl string = ''

@description('The most invoices one run may bill, whatever route starts it (MAX_INVOICE_COUNT).')
@minValue(1)
param maxInvoiceCount int = 1000

@description('Attempts per invoice for the two fixes (INVOICE_API_MAX_ATTEMPTS).')
@minValue(1)
param invoiceApiMaxAttempts int = 5

@description('First back-off before a billing retry in milliseconds (INVOICE_API_RETRY_INTERVAL_MS).')
@minValue(0)
param invoiceApiRetryIntervalMs int = 1000

@description('Latency of the stand-in billing API in milliseconds (FAKE_BILLING_LATENCY_MS).')
@minValue(0)
param fakeBillingLatencyMs int = 100

@description('Durable Functions task hub name (TASK_HUB_NAME): 3-45 letters and digits, starting with a letter.')
@minLength(3)
@maxLength(45)
param taskHubName string = 'DurableInvoices'

@description('Threads for synchronous functions in the Python worker (PYTHON_THREADPOOL_THREAD_COUNT).')
@minValue(1)
@maxValue(32)
param pythonThreadpoolThreadCount int = 16

@description('Trace every replayed orchestrator step and turn sampling off (exact KQL counts); costs ingestion.')
param traceReplayEvents bool = false

@description('Browser origins allowed by CORS; empty for none. Never use *.')
param corsAllowedOrigins array = []

@description('Upper bound on Flex Consumption instances.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory per Flex Consumption instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
var deploymentStorageContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

// One resource group per azd environment, so `azd down --purge` removes everything.
resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

// The app's user-assigned identity, created before everything that names it.
module identity 'core/identity/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

// Log Analytics + Application Insights, where replays and raw calls become visible.
module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

// Storage for the host, the task hub and the deployment package; shared keys disabled.
module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    containers: [deploymentStorageContainerName]
  }
}

// Data-plane roles for the app's identity (and optionally yours) instead of keys, granted before
// the site exists so its first start and first deployment find them.
module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

// The Flex Consumption plan and the function app, running as the identity above.
module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    storageAccountName: storage.outputs.name
    deploymentStorageContainerName: deploymentStorageContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    corsAllowedOrigins: corsAllowedOrigins
    invoiceApiUrl: invoiceApiUrl
    fakeBillingApiEnabled: fakeBillingApiEnabled
    maxInvoiceCount: maxInvoiceCount
    invoiceApiMaxAttempts: invoiceApiMaxAttempts
    invoiceApiRetryIntervalMs: invoiceApiRetryIntervalMs
    fakeBillingLatencyMs: fakeBillingLatencyMs
    taskHubName: taskHubName
    pythonThreadpoolThreadCount: pythonThreadpoolThreadCount
    traceReplayEvents: traceReplayEvents
  }
  // The roles first: nothing in the site references them, so Bicep would otherwise run both at once.
  dependsOn: [rbac]
}

// Outputs become azd environment values (`azd env get-values`); the docs use them by these names.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = 'https://${api.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
// Not named INVOICE_API_URL: azd would feed an output of that name back into invoiceApiUrl.
output EFFECTIVE_INVOICE_API_URL string = api.outputs.invoiceApiUrl
