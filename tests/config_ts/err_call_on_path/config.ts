import { env } from './env';

export function getConfiguration() {
  return {
    title: 'Calls',
    customIntegrations: [
      {
        id: 'cstm_calls',
        name: 'Calls',
        contextType: 'organization',
        n8nCredentialType: 'none',
        secretFields: [{ key: 'TOKEN', label: 'Token', type: 'password', placeholder: makePlaceholder('TOKEN') }],
      },
    ],
  };
}
