// One secret in an existing Key Vault. Nothing is written when the value is empty, so a provision without the
// value leaves a secret set earlier (or by hand with az keyvault secret set) as it is.
param keyVaultName string
param name string

@secure()
param value string = ''

resource vault 'Microsoft.KeyVault/vaults@2022-07-01' existing = {
  name: keyVaultName
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2022-07-01' = if (!empty(value)) {
  parent: vault
  name: name
  properties: {
    value: value
    contentType: 'text/plain'
  }
}
