// Key Vault for channel secrets (webhook signing secrets, page tokens) and the key that wraps each account's data
// key (account secrets, TableSecretStore). Access is Azure RBAC only: the app's identity reads secrets through
// Key Vault references and wraps/unwraps with the key, which never leaves the vault; no access policies.
param name string
param location string
param tags object = {}

@description('Optional: the name of a secret to create with the value below (nothing is created when the value is empty).')
param initialSecretName string = ''

@secure()
@description('Optional: the initial value of that secret. Leave empty to set it later with az keyvault secret set.')
param initialSecretValue string = ''

@description('Purge protection cannot be turned off again once on; recommended for production vaults.')
param enablePurgeProtection bool = false

@description('The RSA key that wraps the accounts\' data keys (RSA-OAEP-256); rotate it with a new version (docs/DEPLOY.md).')
param dataKeyWrapKeyName string = 'sequencer-data-keys'

resource vault 'Microsoft.KeyVault/vaults@2022-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // ARM rejects an explicit false here; leave the property out unless it is being turned on.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource initialSecret 'Microsoft.KeyVault/vaults/secrets@2022-07-01' = if (!empty(initialSecretName) && !empty(initialSecretValue)) {
  parent: vault
  name: !empty(initialSecretName) ? initialSecretName : 'unused'
  properties: {
    value: initialSecretValue
    contentType: 'text/plain'
  }
}

// Wrap and unwrap only: the app never encrypts data with it directly, and nothing can export it.
resource dataKeyWrapKey 'Microsoft.KeyVault/vaults/keys@2022-07-01' = {
  parent: vault
  name: dataKeyWrapKeyName
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [
      'wrapKey'
      'unwrapKey'
    ]
    attributes: {
      enabled: true
      exportable: false
    }
  }
}

output name string = vault.name
// Without a version: the app wraps with the newest version and unwraps with the version each data key names.
output dataKeyWrapKeyUri string = dataKeyWrapKey.properties.keyUri
output dataKeyWrapKeyName string = dataKeyWrapKey.name
output id string = vault.id
output uri string = vault.properties.vaultUri
