import { buildSchema, defaults, fields } from './helpers';

// Before the match, only each element's `id` is read: the calls beside it,
// a computed key before it and a spread it overrides are never evaluated.
const others = [
  { id: 'cstm_spread_in', secretFields: fields('A') },
  { ...defaults(), id: 'cstm_overrides_spread', schema: buildSchema() },
];

export function getConfiguration() {
  return {
    customIntegrations: [
      { [computed()]: 1, id: 'cstm_first', name: buildSchema().name },
      ...others,
      ...[{ id: `cstm_inline_spread`, icon: pickIcon() }],
      {
        ...{ contextType: 'process_instance', id: 'cstm_overridden' },
        id: 'cstm_wanted',
        name: 'Wanted',
        n8nCredentialType: 'none',
      },
      { id: 'cstm_after', ...defaults() },
    ],
  };
}
