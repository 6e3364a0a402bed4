import { loadAndEncodeWorkflow, type ProcessDeploymentConfigurationInput } from 'codika';
import { crmIntegration, weather as weatherIntegration } from './integrations';

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  return {
    title: 'Field sales',
    workflows: [{ workflowTemplateId: 'main', workflowTemplate: loadAndEncodeWorkflow('main.json') }],
    customIntegrations: [weatherIntegration, crmIntegration],
  };
}
