import { makeIntegration, legacyIntegrations } from './helpers';

const ready = {
  id: 'cstm_ready',
  name: 'Ready',
  contextType: 'organization',
  n8nCredentialType: 'none',
  secretFields: [{ key: 'TOKEN', label: 'Token', type: 'password' }],
};

export function getConfiguration() {
  return {
    title: 'Calls after the match',
    // Node's find() stops at `ready`: what follows is never evaluated.
    customIntegrations: [ready, makeIntegration('cstm_other', { name: 'Other' }), ...legacyIntegrations()],
  };
}
