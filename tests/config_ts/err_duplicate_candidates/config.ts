const dev = { customIntegrations: [{ id: 'cstm_twin', name: 'Dev twin', contextType: 'organization', n8nCredentialType: 'none', secretFields: [] }] };

const prod = {
  customIntegrations: [{ id: 'cstm_twin', name: 'Prod twin', contextType: 'organization', n8nCredentialType: 'none', secretFields: [] }],
};

export function getConfiguration() {
  return process.env.PROD ? prod : dev;
}
