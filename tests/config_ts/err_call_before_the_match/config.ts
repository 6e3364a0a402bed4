import { makeIntegration } from './helpers';

const ready = {
  id: 'cstm_ready',
  name: 'Ready',
  contextType: 'organization',
  n8nCredentialType: 'none',
};

export function getConfiguration() {
  return {
    title: 'A call before the match',
    customIntegrations: [
      makeIntegration('cstm_other', { name: 'Other' }),
      ready,
    ],
  };
}
