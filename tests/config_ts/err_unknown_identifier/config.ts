export function getConfiguration() {
  return {
    customIntegrations: [
      { id: 'cstm_unknown', name: PRODUCT_NAME, contextType: 'organization', n8nCredentialType: 'none', secretFields: [] },
    ],
  };
}
