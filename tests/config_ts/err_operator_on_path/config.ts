const VENDOR = 'Acme';

export function getConfiguration() {
  return {
    customIntegrations: [
      { id: 'cstm_concat', name: VENDOR + ' CRM', contextType: 'organization', n8nCredentialType: 'none', secretFields: [] },
    ],
  };
}
