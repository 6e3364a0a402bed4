// A JavaScript use case: config.js, no types.
import { loadAndEncodeWorkflow } from 'codika';

const SECRET = { key: "SFTP_PASSWORD", label: "Password", type: "password" };

export function getConfiguration() {
  return {
    title: "SFTP drop",
    workflows: [loadAndEncodeWorkflow("./workflows/drop.json")],
    customIntegrations: [
      {
        id: "cstm_sftp_drop",
        name: "SFTP drop",
        contextType: "process_instance",
        n8nCredentialType: "sftp",
        n8nCredentialMapping: { SFTP_HOST: "host", SFTP_USER: "username", SFTP_PASSWORD: "password", SFTP_PORT: "port" },
        secretFields: [SECRET],
        metadataFields: [
          { key: "SFTP_HOST", label: "Host", type: "string" },
          { key: "SFTP_USER", label: "User", type: "string" },
          { key: "SFTP_PORT", label: "Port", type: "number", placeholder: "22" },
        ],
      },
    ],
  };
}
