// App settings merged into the site's current ones instead of replacing them: a
// Microsoft.Web/sites/config 'appsettings' resource sets the complete list, so without the merge
// every `azd provision` would delete settings made elsewhere (portal, az CLI, another template).
// The pattern of Azure/azure-sdk-tools (tools/pipeline-witness/infrastructure/bicep/
// appSettings.bicep): read in the caller, written here, as one module cannot read and write the
// same config.

@description('Name of the existing function app.')
param siteName string

// Secure: settings made elsewhere may hold secrets, and secure parameters stay out of the
// deployment history.
@secure()
@description('The settings the site has now, read by the caller with list(); kept unless named below.')
param currentAppSettings object

@secure()
@description('The settings this template owns; each wins over a current value of the same name.')
param appSettings object

// The function app whose settings these are.
resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: siteName
}

// The complete list: the current settings, then ours on top.
resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(currentAppSettings, appSettings)
}
