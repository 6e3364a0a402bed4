const a = { b: a.b };
export function getConfiguration() { return { customIntegrations: a.b }; }
