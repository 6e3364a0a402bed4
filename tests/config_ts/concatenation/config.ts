// As the official guides write schema descriptions: pieces joined with +.
const VENDOR = 'Acme';
const DESC = `The ${VENDOR} API key`;
const HELP = DESC + ' (Settings > API)';

export function getConfiguration() {
  return {
    customIntegrations: [
      {
        id: 'cstm_concat',
        name: VENDOR + ' CRM',
        description: 'Connects ' +
          VENDOR +
          ' to your workflows, ' + 2 + ' ways',
        contextType: 'organization',
        n8nCredentialType: 'none',
        secretFields: [{ key: 'API_KEY', label: 'API key', description: HELP + ' more', required: true }],
      },
    ],
  };
}
