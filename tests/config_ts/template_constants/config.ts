import type { ProcessDeploymentConfigurationInput } from 'codika';

const VENDOR = 'Acme';
const API_HOST = `api.acme.io`;
const API_VERSION = 2;
const DOCS = `https://${API_HOST}/v${API_VERSION}/docs`;

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  return {
    title: `${VENDOR} invoices`,
    customIntegrations: [
      {
        id: 'cstm_acme_invoices',
        name: `${VENDOR} Invoices`,
        description: `Reads invoices from ${VENDOR} (API v${API_VERSION}).
See ${DOCS} for {{ACCOUNT_ID}}-scoped keys.`,
        contextType: 'process_instance',
        n8nCredentialType: 'httpHeaderAuth',
        n8nCredentialMapping: { API_KEY: 'value' },
        secretFields: [
          {
            key: 'API_KEY',
            label: `${VENDOR} API key`,
            type: 'password',
            placeholder: `{{ACME_KEY}} \`quoted\` \${not a substitution}`,
          },
        ],
      },
    ],
  };
}
