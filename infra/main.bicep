// Sequencer on Azure in one step: `azd up` provisions this and deploys the Maven-staged app into it.
// A resource group with: a user-assigned managed identity, a storage account (queues, tables, deployment
// container; no shared keys), Log Analytics + Application Insights, a Key Vault in RBAC mode for channel
// secrets, and a Linux Function App on Flex Consumption (Java 17). See docs/DEPLOY.md.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds the unique suffix of every resource.')
param environmentName string

@minLength(1)
@description('Region of every resource; it must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@minLength(2)
@maxLength(8)
@description('Short lowercase prefix (letters and digits) in resource names, e.g. seq -> func-seq-<suffix>.')
param namePrefix string = 'seq'

@description('Resource group to create or reuse; default rg-<environmentName>.')
param resourceGroupName string = ''

@description('Optional: object id of the deployer, granted Key Vault Secrets Officer so it can set channel secrets. azd fills it in.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Flex Consumption: the most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Flex Consumption: memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Flex Consumption: concurrent HTTP requests per instance.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 16

@description('Flex Consumption: always-ready instances for the tick function (0 = scale to zero; >0 trims cold-start lateness, billed while idle).')
@minValue(0)
param alwaysReadyTickInstances int = 0

@description('Timer shards: how many triggered tick queues new ticks are spread over, each with its tick function (SEQUENCER_TICK_SHARDS). All four queues and functions exist whatever this says.')
@minValue(1)
@maxValue(4)
param tickShards int = 1

@description('App setting name -> Key Vault secret name. Each becomes a Key Vault reference; an account names its own in a channel\'s secretSetting (names under its prefix, see accountSettingPrefix: account acme uses SEQ_ACME__*).')
param channelSecretSettings object = {
  SEQ_ACME__HOOK_SECRET: 'hook-secret'
}

@description('Template of the app-setting names each account may use as secrets (SEQUENCER_ACCOUNT_SETTING_PREFIX): account acme gets SEQ_ACME__, any id other than lower-case letters, digits and single hyphens is hex-encoded. Empty = no account may name an app setting.')
param accountSettingPrefix string = 'SEQ_{ACCOUNT}__'

@secure()
@description('Optional: initial value of the hook-secret secret. Empty = create it later with az keyvault secret set.')
param hookSecret string = ''

@secure()
@description('Optional: the admin key (SEQUENCER_ADMIN_KEY), at least 32 characters (openssl rand -base64 48): every HTTP route but health takes it in x-functions-key. Stored as Key Vault secret admin-key; empty leaves that secret as it is. Without any, no request is admitted as admin.')
param adminKey string = ''

@secure()
@description('Optional: the report link signing key, at least 32 characters (openssl rand -base64 48). Stored as Key Vault secret report-link-key; empty leaves that secret as it is. Without any, report links answer 503.')
param reportLinkKey string = ''

@description('Optional: the origin report links point at (e.g. https://sequencer.example.com); default the app\'s own https address.')
param publicBaseUrl string = ''

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Turn on for production: purge protection cannot be turned off again.')
param keyVaultPurgeProtection bool = false

// The triggered queues and tables the app uses (StorageNames.TICK_QUEUE and the other timer shards' tickQueue(k),
// BROADCAST_PAGE_QUEUE, BROADCAST_SEND_QUEUE,
// SEQUENCES_TABLE, ENROLLMENTS_TABLE, SUBSCRIBERS_TABLE, EVENTS_TABLE, BROADCASTS_TABLE, IDEMPOTENCY_TABLE,
// SECRETS_TABLE, API_KEYS_TABLE, IMPORT_QUEUE, IMPORTS_TABLE, JOB_PAGE_QUEUE, JOBS_TABLE); the host writes the poison
// queues. Creating them here only makes them visible before the first request.
var tickQueue = 'sequencer-ticks'
var broadcastPageQueue = 'sequencer-broadcast-pages'
var broadcastSendQueue = 'sequencer-broadcast-sends'
var importQueue = 'sequencer-imports'
var jobPageQueue = 'sequencer-job-pages'
var tableNames = [
  'sequences'
  'enrollments'
  'subscribers'
  'events'
  'broadcasts'
  'idempotency'
  'secrets'
  'apikeys'
  'frequencycaps'
  'imports'
  'jobs'
]

var prefix = toLower(namePrefix)
// Storage account and vault names allow no hyphens.
var compactPrefix = replace(prefix, '-', '')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'sequencer'
}
var functionAppName = 'func-${prefix}-${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity './core/identity/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${prefix}-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage './core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: take('st${compactPrefix}${resourceToken}', 24)
    location: location
    tags: tags
    skuName: storageSkuName
    deploymentContainerName: deploymentContainerName
    queueNames: [
      tickQueue
      '${tickQueue}-poison'
      '${tickQueue}-1'
      '${tickQueue}-1-poison'
      '${tickQueue}-2'
      '${tickQueue}-2-poison'
      '${tickQueue}-3'
      '${tickQueue}-3-poison'
      broadcastPageQueue
      '${broadcastPageQueue}-poison'
      broadcastSendQueue
      '${broadcastSendQueue}-poison'
      importQueue
      '${importQueue}-poison'
      jobPageQueue
      '${jobPageQueue}-poison'
    ]
    tableNames: tableNames
  }
}

module monitoring './core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${prefix}-${resourceToken}'
    applicationInsightsName: 'appi-${prefix}-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module keyVault './core/security/key-vault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: take('kv${compactPrefix}${resourceToken}', 24)
    location: location
    tags: tags
    initialSecretName: 'hook-secret'
    initialSecretValue: hookSecret
    enablePurgeProtection: keyVaultPurgeProtection
  }
}

// The key that signs report links: replacing it revokes every link at once (docs/DEPLOY.md, rotation).
module reportLinkKeySecret './core/security/key-vault-secret.bicep' = {
  name: 'report-link-key'
  scope: rg
  params: {
    keyVaultName: keyVault.outputs.name
    name: 'report-link-key'
    value: reportLinkKey
  }
}

// The admin key: the app checks it itself on every route (the functions are anonymous to the host; docs/SECURITY.md "Keys").
module adminKeySecret './core/security/key-vault-secret.bicep' = {
  name: 'admin-key'
  scope: rg
  params: {
    keyVaultName: keyVault.outputs.name
    name: 'admin-key'
    value: adminKey
  }
}

module rbac './app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    dataKeyWrapKeyName: keyVault.outputs.dataKeyWrapKeyName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

module functionApp './app/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  // Roles first: the host starts as soon as the app exists and needs storage, the vault and telemetry at once.
  dependsOn: [
    rbac
  ]
  params: {
    name: functionAppName
    planName: 'plan-${prefix}-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultUri: keyVault.outputs.uri
    dataKeyWrapKeyUri: keyVault.outputs.dataKeyWrapKeyUri
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    alwaysReadyTickInstances: alwaysReadyTickInstances
    tickShards: tickShards
    channelSecretSettings: channelSecretSettings
    accountSettingPrefix: accountSettingPrefix
    reportLinkKeySecretName: 'report-link-key'
    adminKeySecretName: 'admin-key'
    publicBaseUrl: publicBaseUrl
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_DEPLOYMENT_CONTAINER_NAME string = storage.outputs.deploymentContainerName
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_USER_ASSIGNED_IDENTITY_ID string = identity.outputs.id
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
