export const chat = {
  id: 'cstm_chat',
  name: 'Chat',
  contextType: 'organization',
  n8nCredentialType: 'none',
  secretFields: [{ key: 'CHAT_TOKEN', label: 'Token', type: 'password' }],
};
