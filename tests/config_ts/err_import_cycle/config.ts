import { second } from './second';

export const first = second;

export function getConfiguration() {
  return { customIntegrations: first };
}
