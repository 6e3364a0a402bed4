/**
 * Use case: contract review.
 *
 * customIntegrations: [{ id: 'cstm_docsign', name: 'Old docsign' }]  <- an old note
 */
import type { ProcessDeploymentConfigurationInput } from 'codika';

// customIntegrations: [legacyDocsign],
/* customIntegrations: { broken */

const NOTE = 'customIntegrations: are read by the CLI';
const NOTE2 = "see customIntegrations below";

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  return {
    title: 'Contract review', // customIntegrations come last
    /* customIntegrations: [] */
    customIntegrations: [
      // { id: 'cstm_docsign', name: 'Commented out' },
      {
        id: 'cstm_docsign', // the customIntegrations id
        name: 'DocSign', /* customIntegrations */
        contextType: 'process_instance',
        n8nCredentialType: 'none',
        secretFields: [{ key: 'DOCSIGN_TOKEN', label: 'Token // not a comment', type: 'password', description: '/* not a comment */' }],
      },
    ],
  };
}
