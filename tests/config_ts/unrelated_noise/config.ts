#!/usr/bin/env node
import { readFileSync, existsSync } from 'node:fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import crypto from 'crypto';
import { loadAndEncodeWorkflow, defineConfig, type ProcessDeploymentConfigurationInput } from 'codika';

const __dirname = path.dirname(fileURLToPath(import.meta.url));
const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;
const SLASHES = /[/\]]+/g;
const ratio = 10 / 2 / 5;
const half = (n: number): number => n / 2;
const parsed = JSON.parse(readFileSync(path.join(__dirname, 'package.json'), 'utf8')) as { version: string };
const nested = `outer ${`inner ${ratio > 1 ? `deep ${half(4)}` : 'none'}`} end`;
let counter = 0;
counter += 1;

enum Stage { Draft = 'draft', Live = 'live' }

class Cache<T extends object = Record<string, unknown>> {
  private store = new Map<string, T>();
  get(key: string): T | undefined { return this.store.get(key); }
  set(key: string, value: T) { this.store.set(key, value); return this; }
}

function isEmail(value: string): value is string {
  if (!EMAIL.test(value)) { return false; }
  return value.split('@').length === 2 && !SLASHES.test(value);
}

async function checksum(file: string): Promise<string> {
  const data = existsSync(file) ? readFileSync(file) : Buffer.from('');
  return crypto.createHash('sha256').update(data).digest('hex');
}

export const helpers = { isEmail, checksum, cache: new Cache(), stage: Stage.Draft, id: crypto.randomUUID() };

const workflows = ['main', 'sync', 'report'].map((name, i) => ({
  workflowTemplateId: `${name}-${i}`,
  workflowTemplate: loadAndEncodeWorkflow(path.join(__dirname, 'workflows', `${name}.json`)),
  regex: /\/\*not a comment\*\//,
}));

export function getConfiguration(): ProcessDeploymentConfigurationInput {
  const version = parsed.version ?? '0.0.0';
  const computed = { [`key_${counter}`]: version };
  return defineConfig({
    title: `Lead intake v${version}`,
    workflows,
    computed,
    customIntegrations: [
      {
        id: 'cstm_lead_scoring',
        name: 'Lead scoring',
        contextType: 'process_instance',
        n8nCredentialType: 'httpHeaderAuth',
        n8nCredentialMapping: { SCORING_KEY: 'value' },
        secretFields: [{ key: 'SCORING_KEY', label: 'Scoring key', type: 'password' }],
        validate: (input: string) => /^[a-z]+$/.test(input) && input.length / 2 > 1,
        onConnect() {
          return fetch('https://scoring.invalid/ping');
        },
      },
    ],
  });
}

export default getConfiguration;
