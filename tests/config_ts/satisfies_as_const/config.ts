import type { CustomIntegrationSchema, ProcessDeploymentConfigurationInput } from 'codika';

type FieldType = 'password' | 'string' | 'url' | 'number';
type Field = { key: string; label: string; type: FieldType; required?: boolean };

const fields = [
  { key: 'CLIENT_ID', label: 'Client ID', type: 'string' },
  { key: 'CLIENT_SECRET', label: 'Client secret', type: 'password' },
] as const satisfies readonly Field[];

const erp = {
  id: 'cstm_erp_connector' as const,
  name: ('ERP connector') as string,
  contextType: 'organization' as CustomIntegrationSchema['contextType'],
  n8nCredentialType: 'oAuth2Api',
  n8nCredentialMapping: { CLIENT_ID: 'clientId', CLIENT_SECRET: 'clientSecret' } as Record<string, string>,
  secretFields: fields as unknown as Array<Field>,
  metadataFields: ([] satisfies Field[]),
  color: '#0EA5E9'!,
} satisfies CustomIntegrationSchema;

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  return {
    title: 'ERP bridge',
    customIntegrations: [erp] as CustomIntegrationSchema[],
  } satisfies ProcessDeploymentConfigurationInput;
}
