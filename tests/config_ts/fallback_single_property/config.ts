import { defineConfig, type ProcessDeploymentConfigurationInput } from 'codika';

const base = {
  title: 'Inbox triage',
  customIntegrations: [
    {
      id: 'cstm_mailbox',
      name: 'Mailbox',
      contextType: 'member',
      n8nCredentialType: 'imap',
      n8nCredentialMapping: { IMAP_USER: 'user', IMAP_PASSWORD: 'password' },
      secretFields: [
        { key: 'IMAP_USER', label: 'User', type: 'string' },
        { key: 'IMAP_PASSWORD', label: 'Password', type: 'password' },
      ],
    },
  ],
};

// What this returns cannot be told without running defineConfig.
export function getConfiguration(): ProcessDeploymentConfigurationInput {
  return defineConfig(base, { environment: process.env.NODE_ENV });
}
