export * from './helpdesk';
export { chat as SLACK_LIKE } from './chat.ts';
export { default } from './fallback';
