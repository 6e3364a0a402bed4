import type { CustomIntegrationSchema } from 'codika';

export const crmIntegration: CustomIntegrationSchema = {
  id: 'cstm_acme_crm',
  name: 'Acme CRM',
  contextType: 'process_instance',
  n8nCredentialType: 'httpHeaderAuth',
  n8nCredentialMapping: { API_KEY: 'value' },
  secretFields: [{ key: 'API_KEY', label: 'API key', type: 'password' }],
};
