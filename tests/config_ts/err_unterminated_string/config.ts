export function getConfiguration() {
  return {
    customIntegrations: [
      { id: 'cstm_open, name: 'Open' },
    ],
  };
}
