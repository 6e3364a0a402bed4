import { type ProcessDeploymentConfigurationInput } from 'codika'

export const CUSTOM_INTEGRATIONS = [
  {
    id: 'cstm_billing_api',
    name: 'Billing API',
    contextType: 'process_instance',
    n8nCredentialType: 'httpBasicAuth',
    n8nCredentialMapping: { BILLING_USER: 'user', BILLING_PASSWORD: 'password' },
    secretFields: [
      { key: 'BILLING_USER', label: 'User', type: 'string' },
      { key: 'BILLING_PASSWORD', label: 'Password', type: 'password' },
    ],
  },
  {
    id: 'cstm_ledger',
    name: 'Ledger',
    contextType: 'member',
    n8nCredentialType: 'none',
    secretFields: [{ key: 'LEDGER_TOKEN', label: 'Token', type: 'password' }],
  },
]

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  return {
    title: 'Billing sync',
    customIntegrations: CUSTOM_INTEGRATIONS,
  }
}
