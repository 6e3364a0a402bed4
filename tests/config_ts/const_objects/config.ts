import type { CustomIntegrationSchema, ProcessDeploymentConfigurationInput } from 'codika';
import { loadAndEncodeWorkflow } from 'codika';

// Two integrations, each its own constant, listed by name below.
const crmIntegration: CustomIntegrationSchema = {
  id: 'cstm_acme_crm',
  name: 'Acme CRM',
  contextType: 'process_instance',
  n8nCredentialType: 'httpHeaderAuth',
  n8nCredentialMapping: { API_KEY: 'value' },
  secretFields: [{ key: 'API_KEY', label: 'API key', type: 'password' }],
};

const weatherIntegration: CustomIntegrationSchema = {
  id: "cstm_open_weather",
  name: "Open Weather",
  description: "Forecasts for the delivery planner",
  contextType: "organization",
  n8nCredentialType: "none",
  secretFields: [
    { key: "OWM_API_KEY", label: "API key", type: "password", required: true },
    { key: "OWM_UNITS", label: "Units", type: "string", required: false, placeholder: "metric" },
  ],
  logoUrl: "https://openweathermap.org/themes/openweathermap/assets/img/logo_white_cropped.png",
};

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  return {
    title: 'Delivery planner',
    workflows: [{ workflowTemplateId: 'plan', workflowTemplate: loadAndEncodeWorkflow('plan.json') }],
    customIntegrations: [crmIntegration, weatherIntegration],
  };
}
