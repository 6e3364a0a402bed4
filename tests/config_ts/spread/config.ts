import type { CustomIntegrationSchema, ProcessDeploymentConfigurationInput } from 'codika';

const apiKeyField = { key: 'API_KEY', label: 'API key', type: 'password' } as const;

const commonCrm = {
  contextType: 'process_instance',
  n8nCredentialType: 'httpHeaderAuth',
  n8nCredentialMapping: { API_KEY: 'value' },
  icon: 'Building2',
};

const sharedIntegrations: CustomIntegrationSchema[] = [
  {
    ...commonCrm,
    id: 'cstm_acme_crm',
    name: 'Acme CRM',
    secretFields: [apiKeyField],
  },
];

const regionalIntegrations = [
  {
    ...commonCrm,
    id: 'cstm_acme_crm_eu',
    name: 'Acme CRM (EU)',
    // Overrides what the spread gave, in the spread's place.
    icon: 'Globe',
    secretFields: [
      { ...apiKeyField, description: 'The EU tenant key' },
      { ...apiKeyField, key: 'EU_TENANT', label: 'Tenant', type: 'string', required: false },
    ],
    metadataFields: [],
  },
];

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  return {
    title: 'CRM sync',
    customIntegrations: [...sharedIntegrations, ...regionalIntegrations],
  };
}
