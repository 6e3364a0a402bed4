import { defaults } from './helpers';

export function getConfiguration() {
  return {
    customIntegrations: [
      // `defaults()` comes after `id` and could override it with cstm_wanted.
      { id: 'cstm_other', ...defaults() },
      { id: 'cstm_wanted', name: 'Wanted' },
    ],
  };
}
