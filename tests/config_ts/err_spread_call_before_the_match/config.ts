import { legacyIntegrations } from './helpers';

export function getConfiguration() {
  return {
    customIntegrations: [...legacyIntegrations(), { id: 'cstm_wanted', name: 'Wanted' }],
  };
}
