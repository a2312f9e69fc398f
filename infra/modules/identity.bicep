// The one identity the Function App runs as. User-assigned (not system-assigned) so that its role
// assignments exist before the app starts: the Functions host needs blob access on its first boot,
// and a system-assigned identity only exists once the site does.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource ID of the identity, for the site\'s identity block and the deployment storage authentication.')
output resourceId string = identity.id

@description('Client ID of the identity, for the *__clientId app settings that select it.')
output clientId string = identity.properties.clientId
