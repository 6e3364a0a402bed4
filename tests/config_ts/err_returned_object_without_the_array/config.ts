// An old draft kept around, not used by getConfiguration.
const legacyDraft = {
  customIntegrations: [
    { id: 'cstm_x', name: 'Old', contextType: 'organization', n8nCredentialType: 'none',
      secretFields: [{ key: 'A', label: 'A', type: 'password' }] },
  ],
};

export function getConfiguration() {
  return { title: 'No custom integrations here', workflows: [] };
}
