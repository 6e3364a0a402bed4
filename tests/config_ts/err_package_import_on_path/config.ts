import { crmIntegration } from '@acme/codika-integrations';

export function getConfiguration() {
  return { customIntegrations: [crmIntegration] };
}
