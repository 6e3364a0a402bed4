import { type ProcessDeploymentConfigurationInput } from 'codika';

let label = 'Token';

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  var description: string = 'The API token';
  const name = 'Acme CRM';
  if (process.env.STAGING) {
    description += ' (staging)';
  }
  return {
    title: 'Acme',
    customIntegrations: [
      {
        id: 'cstm_acme_crm',
        name,
        description,
        contextType: 'organization',
        n8nCredentialType: 'none',
        secretFields: [{ key: 'TOKEN', label, type: 'password' }],
      },
    ],
  };
}
