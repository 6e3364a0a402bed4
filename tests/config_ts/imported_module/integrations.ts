import type { CustomIntegrationSchema } from 'codika';

export const crmIntegration: CustomIntegrationSchema = {
  id: 'cstm_acme_crm',
  name: 'Acme CRM',
  contextType: 'process_instance',
  n8nCredentialType: 'httpHeaderAuth',
  n8nCredentialMapping: { API_KEY: 'value' },
  secretFields: [{ key: 'API_KEY', label: 'API key', type: 'password' }],
};

export const weather: CustomIntegrationSchema = {
  id: 'cstm_weather',
  name: 'Weather',
  contextType: 'organization',
  n8nCredentialType: 'none',
  secretFields: [{ key: 'WEATHER_KEY', label: 'Key', type: 'password' }],
};

// Never evaluated: not on the path.
export const fetched = await fetch('https://example.invalid').then((r) => r.json());
