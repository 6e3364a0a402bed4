#!/bin/sh
# A walk through the emulator's API with curl: start it on a free port, call
# each endpoint as a client would, stop it. Usage: demo.sh PATH/TO/codika-emulator
set -eu
emulator=${1:-target/debug/codika-emulator}
out=$(mktemp)
"$emulator" --listen 127.0.0.1:0 --quiet >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"' EXIT INT TERM
while ! grep -q '^listening on ' "$out"; do sleep 0.05; done
base=$(sed -n 's/^listening on //p' "$out")
key=cko_emulator_owner_full
step() { printf '\n\033[1m$ %s\033[0m\n' "$1"; }
call() { curl -sS -H "X-Process-Manager-Key: $key" -H 'Content-Type: application/json' "$@"; echo; }

echo "emulator listening on $base; seeded API keys:"
tail -n +2 "$out"
step "who am I"
call -X POST "$base/verifyapikey"
step "the platform's public key"
curl -sS "$base/encryption/public.pem"
step "list integrations of org_acme"
call -X POST "$base/listintegrationspublic" -d '{}'
step "delete openai, first phase: who depends on it"
call -X POST "$base/deleteintegrationpublic" -d '{"integrationId":"openai","contextType":"organization","confirmDeletion":false}'
step "a key without integrations:manage"
key=cko_emulator_limited call -X POST "$base/listintegrationspublic" -d '{}'
step "an n8n credential schema (first lines)"
call "$base/getcredentialschemapublic?type=twilioApi" | head -c 400; echo
echo
echo "Secrets are encrypted client-side; 'codika integration set' does that."
