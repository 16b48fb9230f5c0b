// The Sequencer function app on a Flex Consumption plan (Linux, Java 17), running as the user-assigned
// identity, with identity-based connections only.
//
// Premium (Elastic Premium EP1-EP3) instead of Flex Consumption, if you need it (e.g. always-warm workers
// without Flex's always-ready billing, or a region without Flex):
//   * plan: sku { name: 'EP1', tier: 'ElasticPremium' }, kind 'elastic', properties { reserved: true,
//     maximumElasticWorkerCount: <n> }; the site: no functionAppConfig, instead siteConfig.linuxFxVersion
//     'Java|17' and the app settings FUNCTIONS_EXTENSION_VERSION '~4' and FUNCTIONS_WORKER_RUNTIME 'java'
//     (both rejected on Flex Consumption, hence absent below).
//   * content: Premium runs from an Azure Files share (WEBSITE_CONTENTAZUREFILECONNECTIONSTRING), which needs
//     a shared-key connection string; to keep allowSharedKeyAccess false, skip the share and run from a package
//     blob instead (WEBSITE_RUN_FROM_PACKAGE=<blob URL> with WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID set to
//     the identity's resource id).
//   * cost: Premium bills every instance that is allocated, at least one, around the clock; and the queue
//     scaler counts invisible (future) ticks, so a deep timer queue holds instances out (DESIGN.md section 6).
param name string
param planName string
param location string
param tags object = {}

@description('azd finds the app to deploy to by this tag; it must match the service name in azure.yaml.')
param serviceName string = 'sequencer'

param identityId string
param identityClientId string

param storageAccountName string
param deploymentContainerName string
param applicationInsightsConnectionString string
param keyVaultUri string
@description('The Key Vault key (no version) that wraps the accounts\' data keys.')
param dataKeyWrapKeyUri string

@description('Upper bound of instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each instance in MB; CPU and network scale with it.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Concurrent HTTP requests per instance before the platform adds one.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 16

@description('Instances kept warm for the tick function (billed while idle); 0 = scale to zero.')
@minValue(0)
param alwaysReadyTickInstances int = 0

@description('Timer shards new ticks are spread over (SEQUENCER_TICK_SHARDS); each shard\'s tick function gets the always-ready instances.')
@minValue(1)
@maxValue(4)
param tickShards int = 1

@description('App setting name -> Key Vault secret name, one Key Vault reference per channel secret.')
param channelSecretSettings object = {}

@description('Template of the app-setting names each account may name as its secrets, e.g. SEQ_{ACCOUNT}__; empty = none.')
param accountSettingPrefix string = ''

@description('Key Vault secret holding the admin key (SEQUENCER_ADMIN_KEY); empty = no request is admitted as admin.')
param adminKeySecretName string = ''

@description('Key Vault secret holding the report link key (SEQUENCER_REPORT_LINK_KEY); empty = report links off.')
param reportLinkKeySecretName string = ''

@description('The origin report links point at; empty = the app\'s own https address.')
param publicBaseUrl string = ''

@description('Further plain app settings (no secrets here: use channelSecretSettings).')
param extraAppSettings object = {}

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

// The settings StorageClients reads, and the host's own identity-based AzureWebJobsStorage connection.
var storageSettings = {
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
}

// Send budgets per Messenger page and SendGrid sender are shared out over this many instances (SendBudget),
// so it follows the scale-out cap instead of being kept equal by hand.
var scaleSettings = {
  SEQUENCER_MAX_INSTANCES: string(maximumInstanceCount)
  SEQUENCER_TICK_SHARDS: string(tickShards)
}

// Which app settings an account may name as its secret (AppSettingPolicy); absent, no account may name any.
var policySettings = empty(accountSettingPrefix) ? {} : {
  SEQUENCER_ACCOUNT_SETTING_PREFIX: accountSettingPrefix
}

var telemetrySettings = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

// e.g. SEQ_ACME__HOOK_SECRET = @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/hook-secret/)
// No version in the URI: the app picks up a rotated secret without a redeployment.
var secretSettings = toObject(items(channelSecretSettings), entry => entry.key,
  entry => '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${entry.value}/)')

// Account secrets: their data keys are wrapped by this vault key, through the app's user-assigned identity.
var secretKeySettings = {
  SEQUENCER_KEY_VAULT_KEY_ID: dataKeyWrapKeyUri
  SEQUENCER_KEY_VAULT_CLIENT_ID: identityClientId
}

// Report links: signed with a key only the vault holds (no version in the URI, so a rotated key is picked up), and
// built on a fixed origin rather than on whatever Host a request names.
var reportLinkSettings = union(empty(adminKeySecretName) ? {} : {
  // Every HTTP function is anonymous to the host; the app checks this key (or an account key) on every request.
  SEQUENCER_ADMIN_KEY: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${adminKeySecretName}/)'
}, empty(reportLinkKeySecretName) ? {} : {
  SEQUENCER_REPORT_LINK_KEY: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${reportLinkKeySecretName}/)'
}, {
  SEQUENCER_PUBLIC_BASE_URL: !empty(publicBaseUrl) ? publicBaseUrl : 'https://${functionApp.properties.defaultHostName}'
})

// One entry per shard in use: on Flex Consumption each tick function scales on instances of its own.
var alwaysReady = alwaysReadyTickInstances > 0 ? map(range(0, tickShards), shard => {
  name: shard == 0 ? 'function:tick' : 'function:tick-${shard}'
  instanceCount: alwaysReadyTickInstances
}) : []

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
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
    // Key Vault references resolve with the user-assigned identity (the default would be a system identity).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: alwaysReady
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      runtime: {
        name: 'java'
        version: '17'
      }
    }
  }

  // The whole set of app settings: a setting added by hand is removed by the next provision, so channel
  // secrets belong in channelSecretSettings (main.parameters.json), not in the portal.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union(extraAppSettings, secretSettings, secretKeySettings, reportLinkSettings, storageSettings, policySettings, scaleSettings, telemetrySettings)
  }
}

output name string = functionApp.name
output id string = functionApp.id
output defaultHostName string = functionApp.properties.defaultHostName
