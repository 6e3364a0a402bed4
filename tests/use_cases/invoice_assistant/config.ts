import { join, dirname } from 'path';
import { fileURLToPath } from 'url';
import crypto from 'crypto';
import {
  loadAndEncodeWorkflow,
  type ProcessDeploymentConfigurationInput,
  type CustomIntegrationSchema,
} from 'codika';
import { crmIntegration } from './integrations/crm';

const __dirname = dirname(fileURLToPath(import.meta.url));

// Per member: each one connects their own notes account.
const notesIntegration = {
  id: 'cstm_team_notes',
  name: 'Team notes',
  contextType: 'member',
  n8nCredentialType: 'httpHeaderAuth',
  n8nCredentialMapping: { NOTES_TOKEN: 'value' },
  secretFields: [{ key: 'NOTES_TOKEN', label: 'Token', type: 'password' }],
} satisfies CustomIntegrationSchema;

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  const deploymentId = crypto.randomUUID();
  return {
    title: 'Invoice Assistant',
    subtitle: 'Reads invoices, files them in the CRM',
    deploymentId,
    integrationUids: ['openai'],
    workflows: [
      {
        workflowTemplateId: 'main-workflow',
        workflowName: 'Main workflow',
        integrationUids: ['openai', 'supabase', 'cstm_acme_crm'],
        workflowTemplate: loadAndEncodeWorkflow(join(__dirname, 'workflows/main-workflow.json')),
      },
      {
        workflowTemplateId: 'team-notes',
        workflowName: 'Team notes',
        integrationUids: ['cstm_team_notes', 'supabase'],
        workflowTemplate: loadAndEncodeWorkflow(join(__dirname, 'workflows/team-notes.json')),
        triggers: [{ type: 'schedule', cron: process.env.NOTES_CRON ?? '0 * * * *' }],
      },
    ],
    customIntegrations: [crmIntegration, notesIntegration],
  };
}
