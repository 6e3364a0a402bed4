const KEY = 'name';

export function getConfiguration() {
  return {
    customIntegrations: [
      { id: 'cstm_computed', [KEY]: 'Computed', contextType: 'organization', n8nCredentialType: 'none', secretFields: [] },
    ],
  };
}
