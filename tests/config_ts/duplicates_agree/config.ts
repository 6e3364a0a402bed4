const shared = [{ id: 'cstm_same', name: 'Same', contextType: 'organization', n8nCredentialType: 'none', secretFields: [] }];

export function getConfiguration() {
  if (process.env.PROD) {
    return { title: 'Prod', customIntegrations: shared };
  }
  return { title: 'Dev', customIntegrations: [...shared] };
}
