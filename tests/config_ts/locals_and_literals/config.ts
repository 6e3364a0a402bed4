import type { ProcessDeploymentConfigurationInput } from 'codika';

const DEFAULT_LABEL = 'Token';

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  const tokenField = { key: 'TOKEN', label: DEFAULT_LABEL, type: 'password', required: undefined };
  let description: string = 'Line one\nTab\there, quote \' and \" and \\ backslash, \u00e9\u{1F680} \
continued';
  const DEFAULT_LABEL_LOCAL = "shadowed";
  const name = "Metrics";
  return {
    title: 'Metrics',
    customIntegrations: [
      {
        id: 'cstm_metrics',
        name,
        description,
        'contextType': "organization",
        n8nCredentialType: 'none',
        secretFields: [tokenField,],
        limits: { 2: 'two', b: 'bee', 1: 'one', "0x": 'hex-ish', 0x10: 'sixteen' },
        numbers: [1e3, 1.50, -2, 0xff, 1_000, .5, null, undefined, true, false,],
        empty: {},
        icon: undefined,
        label: DEFAULT_LABEL_LOCAL,
      },
    ],
  };
}
