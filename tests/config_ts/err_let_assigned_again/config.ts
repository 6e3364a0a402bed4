let crmName = 'Draft';
crmName = 'Acme CRM';
export function getConfiguration() {
  return { customIntegrations: [
    { id: 'cstm_x', name: crmName, contextType: 'organization', n8nCredentialType: 'none',
      secretFields: [{ key: 'A', label: 'A', type: 'password' }] },
  ] };
}
