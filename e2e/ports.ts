export const COLLECTOR_PORT = 18787;
export const FIXTURE_PORT = 18788;
export const ADMIN_TOKEN = 'e2e-admin-token';
export const COLLECTOR = `http://127.0.0.1:${COLLECTOR_PORT}`;
export const FIXTURES = `http://127.0.0.1:${FIXTURE_PORT}`;
