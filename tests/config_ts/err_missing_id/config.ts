export function getConfiguration() {
  return {
    customIntegrations: [
      { id: 'cstm_alpha', name: 'Alpha', contextType: 'organization', n8nCredentialType: 'none', secretFields: [] },
      { id: 'cstm_beta', name: 'Beta', contextType: 'organization', n8nCredentialType: 'none', secretFields: [] },
    ],
  };
}
