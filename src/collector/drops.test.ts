// Browsers report what they dropped on purpose (rejected, too large, corrupt records); the
// collector adds the counts up per site and shows them to the admin.
import { expect, it } from 'vitest';
import { SITE, admin, collect, envelope, makeApp, summary } from './test-fixtures.ts';
import { describeStores } from './test-stores.ts';

describeStores('client drop counters', (kind) => {
  it('adds reported drops per reason, with or without summaries in the same request', async () => {
    const { app } = await makeApp({ kind });
    expect((await collect(app, { ...envelope([summary()]), dropped: { rejected: 2, corrupt: 1 } })).status).toBe(202);
    expect((await collect(app, { ...envelope([]), dropped: { 'too-large': 1, rejected: 1 } })).status).toBe(202);
    const res = await admin(app, `/v1/delivery?site=${SITE}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ site: SITE, dropped: { rejected: 3, corrupt: 1, 'too-large': 1 } });
  });

  it('refuses an empty request, unknown reasons and negative counts', async () => {
    const { app } = await makeApp({ kind });
    expect((await collect(app, envelope([]))).status).toBe(400);
    expect((await collect(app, { ...envelope([]), dropped: { whatever: 1 } })).status).toBe(400);
    expect((await collect(app, { ...envelope([]), dropped: { rejected: -1 } })).status).toBe(400);
  });

  it('needs the admin token to read the counters', async () => {
    const { app } = await makeApp({ kind });
    expect((await admin(app, `/v1/delivery?site=${SITE}`, 'wrong')).status).toBe(401);
  });
});
