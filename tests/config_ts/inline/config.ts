import { readFileSync } from 'fs';
import { join, dirname } from 'path';
import { fileURLToPath } from 'url';
import crypto from 'crypto';
import {
  loadAndEncodeWorkflow,
  type ProcessDeploymentConfigurationInput,
  type CustomIntegrationSchema,
} from 'codika';

const __filename = fileURLToPath(import.meta.url);
const __dirname = dirname(__filename);

export const WORKFLOW_FILES = [
  join(__dirname, 'workflows/main-workflow.json'),
  join(__dirname, 'workflows/sync-contacts.json'),
];

export const PROJECT_ID = 'proj_invoice_assistant';

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  const deploymentId = crypto.randomUUID();
  return {
    title: 'Invoice Assistant',
    subtitle: "Reads invoices, files them in the CRM",
    description: `Extracts totals from {{INVOICE_PDF}} and posts them to Acme.`,
    deploymentId,
    workflows: [
      {
        workflowTemplateId: 'main-workflow',
        workflowName: 'Main workflow',
        integrationUids: ['openai', 'cstm_acme_crm'],
        workflowTemplate: loadAndEncodeWorkflow(join(__dirname, 'workflows/main-workflow.json')),
      },
    ],
    customIntegrations: [
      {
        id: 'cstm_acme_crm',
        name: 'Acme CRM',
        description: 'Contacts and deals in Acme CRM',
        contextType: 'process_instance',
        n8nCredentialType: 'httpHeaderAuth',
        n8nCredentialMapping: {
          API_KEY: 'value',
          HEADER_NAME: 'name',
        },
        secretFields: [
          {
            key: 'API_KEY',
            label: 'API key',
            type: 'password',
            description: 'Settings → API in Acme',
            placeholder: 'acme_sk_...',
          },
        ],
        metadataFields: [
          { key: 'HEADER_NAME', label: 'Header name', type: 'string', required: false },
          { key: 'ACCOUNT_URL', label: 'Account URL', type: 'url', placeholder: 'https://{{ACCOUNT}}.acme.io' },
        ],
        icon: 'Building2',
        color: '#4F46E5',
      },
    ],
  };
}
