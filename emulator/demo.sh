#!/bin/sh
# The main job against the local platform: start the emulator on a free
# port, run check (missing) -> set (a custom one from config.ts too) ->
# check (ready) -> list -> delete (both phases) -> schema -> login -> whoami
# with this CLI, stop.
# Usage: demo.sh TARGET_DIR   (where codika and codika-emulator were built)
set -eu
bin=${1:-target/debug}
out=$(mktemp)
home=$(mktemp -d)
"$bin/codika-emulator" --listen 127.0.0.1:0 --quiet >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$out" "$home"' EXIT INT TERM
while ! grep -q '^listening on ' "$out"; do sleep 0.05; done
base=$(sed -n 's/^listening on //p' "$out")

# A use case folder, as 'codika deploy' leaves it.
mkdir -p "$home/my-use-case"
cat >"$home/my-use-case/project.json" <<JSON
{"projectId": "proj_demo", "organizationId": "org_acme",
 "devProcessInstanceId": "pi_acme_dev", "prodProcessInstanceId": "pi_acme_prod"}
JSON
# Its config.ts declares the integrations it needs and defines a custom one;
# the CLI reads both without Node.
cat >"$home/my-use-case/config.ts" <<'TS'
import { loadAndEncodeWorkflow } from 'codika';

const crmIntegration = {
  id: 'cstm_acme_crm',
  name: 'Acme CRM',
  contextType: 'process_instance' as const,
  n8nCredentialType: 'httpHeaderAuth',
  n8nCredentialMapping: { API_KEY: 'value' },
  secretFields: [{ key: 'API_KEY', label: 'API key', type: 'password' }],
};

export function getConfiguration() {
  return {
    title: 'Invoice Assistant',
    integrationUids: ['openai'],
    workflows: [
      {
        workflowTemplateId: 'main',
        integrationUids: ['openai', 'supabase', 'cstm_acme_crm'],
        workflowTemplate: loadAndEncodeWorkflow('./workflows/main.json'),
      },
    ],
    customIntegrations: [crmIntegration],
  };
}
TS

export HOME="$home" CODIKA_BASE_URL="$base" CODIKA_API_KEY=cko_emulator_owner_full
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@" || echo "(exit $?)"; }

echo "Platform emulator at $base (HPKE keys; secrets are encrypted by the CLI)"
# Freshly deployed: nothing connected yet (exit 2), each fix printed.
step "$bin/codika" integration check --path "$home/my-use-case"
# The fixes, with the values off the command line: from the environment,
# a dotenv file, and stdin.
export OPENAI_API_KEY=sk-proj-demo
step "$bin/codika" integration set openai --secret OPENAI_API_KEY
printf 'SUPABASE_HOST=https://abc.supabase.co\nSUPABASE_SERVICE_ROLE_KEY="eyJ-demo"\n' >"$home/my-use-case/.env"
step "$bin/codika" integration set supabase --secrets-file "$home/my-use-case/.env" --path "$home/my-use-case"
printf '\n\033[1m$ printf %%s "$CRM_KEY" | codika integration set cstm_acme_crm --secret API_KEY=- --path %s\033[0m\n' "$home/my-use-case"
printf %s acme-demo | "$bin/codika" integration set cstm_acme_crm --secret API_KEY=- --path "$home/my-use-case" || echo "(exit $?)"
step "$bin/codika" integration check --path "$home/my-use-case"
step "$bin/codika" integration list --path "$home/my-use-case"
step "$bin/codika" integration delete openai
step "$bin/codika" integration delete openai --confirm
step "$bin/codika" integration schema twilioApi

# A login from stdin (the key never on the command line), then who it is.
unset CODIKA_API_KEY
printf '\n\033[1m$ printf %%s "$KEY" | codika login\033[0m\n'
printf %s cko_emulator_owner_full | "$bin/codika" login || echo "(exit $?)"
step "$bin/codika" whoami
step "$bin/codika" use
