export default {
  id: 'cstm_status_page',
  name: 'Status page',
  contextType: 'organization',
  n8nCredentialType: 'none',
  secretFields: [{ key: 'STATUS_TOKEN', label: 'Token', type: 'password' }],
};
