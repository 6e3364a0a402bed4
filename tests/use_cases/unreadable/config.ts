import { loadAndEncodeWorkflow } from 'codika';
import { vendorIntegrations } from 'vendor-kit';

export function getConfiguration() {
  return {
    title: 'Vendor sync',
    workflows: [
      { workflowTemplateId: 'main', integrationUids: ['openai'], workflowTemplate: loadAndEncodeWorkflow('./main.json') },
      { workflowTemplateId: 'vendor', integrationUids: vendorIntegrations('crm'), workflowTemplate: loadAndEncodeWorkflow('./vendor.json') },
    ],
  };
}
