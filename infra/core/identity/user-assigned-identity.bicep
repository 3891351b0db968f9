// The app's user-assigned managed identity. It exists, and gets its roles, before the function
// app does (as in Azure-Samples/durable-functions-quickstart-python-azd), so the first start and
// the first deployment never race role assignment.

@description('Name of the identity.')
param name string

@description('Azure region of the identity.')
param location string = resourceGroup().location

@description('Tags applied to the identity.')
param tags object = {}

// The identity the app signs in to storage and Application Insights with.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
