// Parameters for a plain resource-group deployment:
//   az deployment group create --resource-group <rg> --parameters infra/main.bicepparam
// Every value below is main.bicep's default, spelled out so a deployment can change it in one place.
using 'main.bicep'

param environmentName = 'serverlessflow'
param storagePrefix = 'sf'
param taskQueues = [
  'default'
]
param retentionDays = 30
param storageSkuName = 'Standard_LRS'
param maximumInstanceCount = 100
param instanceMemoryMB = 2048
param logRetentionInDays = 30
