// Ports of the test servers. CHATPULSE_E2E_PORT moves both, so two runs can share a machine.
const base = Number(process.env.CHATPULSE_E2E_PORT ?? 18787);

export const COLLECTOR_PORT = base;
export const FIXTURE_PORT = base + 1;
export const ADMIN_TOKEN = 'e2e-admin-token';
export const COLLECTOR = `http://127.0.0.1:${COLLECTOR_PORT}`;
export const FIXTURES = `http://127.0.0.1:${FIXTURE_PORT}`;
/** The collector origin as written in the fixture pages; the fixture server rewrites it. */
export const FIXTURE_COLLECTOR_PLACEHOLDER = 'http://127.0.0.1:18787';
