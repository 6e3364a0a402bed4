const SUBDOMAIN_FIELD = { key: 'SUBDOMAIN', label: 'Subdomain', type: 'string', placeholder: 'acme' };

export const helpdesk = {
  id: 'cstm_helpdesk',
  name: 'Helpdesk',
  contextType: 'process_instance',
  n8nCredentialType: 'httpBasicAuth',
  n8nCredentialMapping: { HELPDESK_EMAIL: 'user', HELPDESK_TOKEN: 'password' },
  secretFields: [
    { key: 'HELPDESK_EMAIL', label: 'Email', type: 'string' },
    { key: 'HELPDESK_TOKEN', label: 'API token', type: 'password' },
  ],
  metadataFields: [SUBDOMAIN_FIELD],
};
