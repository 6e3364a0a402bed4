import type { ProcessDeploymentConfigurationInput } from 'codika';
import * as integrations from './integrations/index.js';
import defaultIntegration from './integrations';

export const getConfiguration = (): ProcessDeploymentConfigurationInput => ({
  title: 'Support desk',
  customIntegrations: [integrations.helpdesk, integrations.SLACK_LIKE, defaultIntegration],
});
