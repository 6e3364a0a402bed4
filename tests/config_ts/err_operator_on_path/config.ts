const VENDOR = 'Acme';

export function getConfiguration() {
  return {
    customIntegrations: [
      { id: 'cstm_concat', name: 1 + 2, contextType: 'organization', n8nCredentialType: 'none', secretFields: [] },
    ],
  };
}
