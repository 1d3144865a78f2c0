// Fuzz: ≥ 10,000 malformed, oversized, truncated and hostile requests against a real collector
// listening on 127.0.0.1, with valid beacons interleaved. Asserts: no 5xx, the process survives,
// memory stays bounded, and every valid beacon is answered 202 and stored.
//
// Reproducible: every case comes from a seeded PRNG. A failure prints the seed and case number;
// rerun with CHATPULSE_FUZZ_SEED=<seed> (CHATPULSE_FUZZ_CASES raises or lowers the count).
import http from 'node:http';
import net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from './app.ts';
import { startCollector, type RunningCollector } from './server.ts';
import { ORIGIN, SITE, envelope, stored, summary } from './test-fixtures.ts';
import { seededRandom } from '../shared/seeded-random.ts';

const SEED = Number(process.env.CHATPULSE_FUZZ_SEED ?? 0x5eed_c0de);
const CASES = Number(process.env.CHATPULSE_FUZZ_CASES ?? 10_500);
/** Requests in flight at once (HTTP client cases). */
const PARALLEL = 16;
/** One raw-socket case in this many (they are slower: a connection each). */
const RAW_EVERY = 12;
/** One valid beacon in this many cases. */
const VALID_EVERY = 10;

// ---- seeded randomness ----------------------------------------------------------------------------

type Rng = () => number;

const int = (rng: Rng, max: number): number => Math.floor(rng() * max);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)]!;

// ---- case generators --------------------------------------------------------------------------------

const HOSTILE_VALUES: ReadonlyArray<(rng: Rng) => unknown> = [
  () => null,
  () => true,
  () => -1,
  () => 0.5,
  () => 2 ** 63,
  () => Number.MAX_SAFE_INTEGER + 2,
  () => '',
  () => '\u0000',
  () => '\ud800',
  () => '<script>alert(1)</script>',
  () => '=HYPERLINK("http://evil")',
  () => [],
  () => ({}),
  () => ({ __proto__: { polluted: 1 } }),
  (rng) => 'x'.repeat(1 + int(rng, 5000)),
  (rng) => 'é'.repeat(1 + int(rng, 3000)),
  (rng) => Array.from({ length: int(rng, 600) }, () => 'trace'),
  (rng) => {
    let value: unknown = 1;
    for (let i = int(rng, 2000); i > 0; i--) value = [value];
    return value;
  },
  () => '2024-02-30T25:61:00Z',
  () => '1e400',
];

/** A valid envelope, JSON-mutated somewhere: a field replaced, removed, or added. */
function mutatedEnvelope(rng: Rng): unknown {
  const env = envelope([summary(), ...(rng() < 0.3 ? [summary()] : [])]) as Record<string, unknown>;
  const target: Record<string, unknown> = rng() < 0.3 ? env : ((env.summaries as unknown[])[0] as Record<string, unknown>);
  const keys = Object.keys(target);
  const key = pick(rng, keys);
  const op = int(rng, 4);
  if (op === 0) delete target[key];
  else if (op === 1) target[`x${int(rng, 100)}`] = pick(rng, HOSTILE_VALUES)(rng);
  else if (op === 2 && target[key] && typeof target[key] === 'object' && !Array.isArray(target[key])) {
    const inner = target[key] as Record<string, unknown>;
    const innerKey = pick(rng, Object.keys(inner).length ? Object.keys(inner) : ['x']);
    inner[innerKey] = pick(rng, HOSTILE_VALUES)(rng);
  } else target[key] = pick(rng, HOSTILE_VALUES)(rng);
  return env;
}

const INVALID_UTF8 = [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from([0xfe, 0xff])];

/** Byte-level damage to a valid body: truncation, flipped bytes, invalid UTF-8 spliced in. */
function damagedBytes(rng: Rng): Buffer {
  const bytes = Buffer.from(JSON.stringify(envelope([summary()])));
  switch (int(rng, 4)) {
    case 0:
      return bytes.subarray(0, int(rng, bytes.length));
    case 1: {
      const copy = Buffer.from(bytes);
      for (let i = 1 + int(rng, 8); i > 0; i--) copy[int(rng, copy.length)] = int(rng, 256);
      return copy;
    }
    case 2: {
      const at = int(rng, bytes.length);
      return Buffer.concat([bytes.subarray(0, at), pick(rng, INVALID_UTF8), bytes.subarray(at)]);
    }
    default: {
      // invalid UTF-8 inside a string value: decoded as U+FFFD, the rest stays valid JSON
      const [before, after] = JSON.stringify(envelope([summary()])).split('"release":"r1"') as [string, string];
      return Buffer.concat([Buffer.from(`${before}"release":"r`), pick(rng, INVALID_UTF8), Buffer.from(`1"${after}`)]);
    }
  }
}

function bodyCase(rng: Rng): { body: Buffer; headers: Record<string, string> } {
  const contentTypes = ['text/plain;charset=UTF-8', 'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/png', 'text/plain; charset=latin1', ''];
  const headers: Record<string, string> = { Origin: rng() < 0.9 ? ORIGIN : pick(rng, ['https://evil.example', 'null', 'https://shop.example.evil.com']) };
  const type = pick(rng, contentTypes);
  if (type) headers['Content-Type'] = type;
  const kind = int(rng, 10);
  let body: Buffer;
  if (kind < 5) body = Buffer.from(JSON.stringify(mutatedEnvelope(rng)));
  else if (kind < 8) body = damagedBytes(rng);
  else if (kind === 8) {
    // deep nesting or a huge string, sometimes past the limit
    const n = 1000 + int(rng, 200_000);
    body = Buffer.from(rng() < 0.5 ? '['.repeat(n) + ']'.repeat(n) : JSON.stringify({ ...envelope([summary()]), pad: 'x'.repeat(int(rng, MAX_BODY_BYTES + 50_000)) }));
  } else body = Buffer.from(pick(rng, ['', 'null', '[]', '{}', '"x"', '\u0000', '{"v":1}', 'undefined', '{"v":1,"site":"shop","summaries":[' + '{},'.repeat(300) + '{}]}']));
  if (rng() < 0.1) headers['X-Junk'] = 'y'.repeat(int(rng, 8000));
  if (rng() < 0.05) headers.Referer = 'not a url';
  return { body, headers };
}

/** Requests the HTTP client would refuse to send: written to a socket as raw bytes. */
function rawCase(rng: Rng): Buffer {
  const valid = JSON.stringify(envelope([summary()]));
  const head = (lines: string[]): string => `POST /v1/collect HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${ORIGIN}\r\nContent-Type: text/plain\r\n${lines.join('\r\n')}${lines.length ? '\r\n' : ''}\r\n`;
  switch (int(rng, 10)) {
    case 0: // absurd or contradictory Content-Length
      return Buffer.from(head([`Content-Length: ${pick(rng, ['99999999999999999999', '-1', 'abc', '1e3', '0x10', String(MAX_BODY_BYTES * 4)])}`]) + valid);
    case 1:
      return Buffer.from(head(['Content-Length: 10', 'Content-Length: 20']) + valid);
    case 2: {
      // chunked, past the limit
      const chunk = 'x'.repeat(64 * 1024);
      const chunks = Array.from({ length: 18 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
      return Buffer.from(head(['Transfer-Encoding: chunked']) + chunks + '0\r\n\r\n');
    }
    case 3: // malformed chunk framing
      return Buffer.from(head(['Transfer-Encoding: chunked']) + pick(rng, ['zz\r\nabc\r\n0\r\n\r\n', '5\r\nabc\r\n', 'ffffffffffffffff\r\nx\r\n']));
    case 4: // header flood: many headers, or one huge one
      return Buffer.from(
        rng() < 0.5
          ? head(Array.from({ length: 3000 }, (_, i) => `X-H${i}: ${i}`)) + valid
          : head([`Cookie: ${'a=b; '.repeat(8000)}`, `Content-Length: ${valid.length}`]) + valid,
      );
    case 5: // both Content-Length and chunked (request smuggling shape)
      return Buffer.from(head([`Content-Length: ${valid.length}`, 'Transfer-Encoding: chunked']) + valid);
    case 6: // binary garbage instead of HTTP
      return Buffer.from(Array.from({ length: 1 + int(rng, 2000) }, () => int(rng, 256)));
    case 7: // header value with control bytes / invalid UTF-8 in the Origin
      return Buffer.concat([Buffer.from(`POST /v1/collect HTTP/1.1\r\nHost: x\r\nOrigin: https://`), pick(rng, INVALID_UTF8), Buffer.from(`\r\nContent-Length: ${valid.length}\r\n\r\n${valid}`)]);
    case 8: // truncated: declares more than it sends, then half-closes
      return Buffer.from(head([`Content-Length: ${valid.length + 100}`]) + valid);
    default: // pipelined: a valid-looking request then junk
      return Buffer.from(head([`Content-Length: ${valid.length}`]) + valid + 'GARBAGE / HTTP/9.9\r\n\r\n');
  }
}

// ---- transport --------------------------------------------------------------------------------------

function send(agent: http.Agent, port: number, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/collect', agent, headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    // The server may answer 413 and close before the whole body is written: that is a valid outcome.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve({ status: 0, text: error.code }) : reject(error)));
    req.end(body);
  });
}

/** Writes raw bytes, half-closes, and returns the status codes of whatever came back (none is fine). */
function sendRaw(port: number, bytes: Buffer): Promise<number[]> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      resolve([...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1])));
    };
    const timer = setTimeout(done, 8000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', done);
    socket.on('close', done);
    socket.write(bytes, () => socket.end());
  });
}

function collectGarbage(): void {
  v8.setFlagsFromString('--expose_gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
}

// ---- the test ---------------------------------------------------------------------------------------

describe('fuzz: a real collector on 127.0.0.1', () => {
  let collector: RunningCollector;

  beforeAll(async () => {
    collector = await startCollector({
      port: 0,
      host: '127.0.0.1',
      database: ':memory:',
      adminToken: 'fuzz-admin-token',
      projectRoot: process.cwd(),
      // One loopback client sends everything: lift the rate limits (they have their own tests).
      limits: { perIpPerSecond: 1e9, perIpBurst: 1e9, perSitePerSecond: 1e9, perSiteBurst: 1e9 },
      // Short deadlines: truncated bodies and stalled heads are cut off quickly instead of holding workers.
      timeouts: { headersMs: 1000, bodyMs: 1000, requestMs: 3000 },
    });
    await collector.store.putSite({ key: SITE, name: 'Shop', origins: [ORIGIN], enabled: true });
  });

  afterAll(async () => {
    await collector?.close();
  });

  it(`${CASES} hostile requests (seed ${SEED}): no 5xx, valid beacons all stored, memory bounded`, async () => {
    const rng = seededRandom(SEED);
    const agent = new http.Agent({ keepAlive: true, maxSockets: PARALLEL });
    const validIds: string[] = [];
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const count = (status: number): void => void statuses.set(status, (statuses.get(status) ?? 0) + 1);
    let baseline = 0;
    let heapBaseline = 0;

    // Generate each case up front from the PRNG (in order), so parallel sending does not change them.
    const runCase = async (n: number, plan: () => Promise<void>): Promise<void> => {
      try {
        await plan();
      } catch (error) {
        failures.push(`case ${n} (seed ${SEED}): ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const makeCase = (n: number): (() => Promise<void>) => {
      if (n % VALID_EVERY === 0) {
        const s = summary({ id: `valid-${n}` });
        validIds.push(s.id);
        const body = Buffer.from(JSON.stringify(envelope([s])));
        return async () => {
          const res = await send(agent, collector.port, body, { 'Content-Type': 'text/plain;charset=UTF-8', Origin: ORIGIN });
          count(res.status);
          if (res.status !== 202) failures.push(`case ${n} (seed ${SEED}): valid beacon answered ${res.status} ${res.text.slice(0, 200)}`);
        };
      }
      if (n % RAW_EVERY === 1) {
        const bytes = rawCase(rng);
        return async () => {
          for (const status of await sendRaw(collector.port, bytes)) {
            count(status);
            if (status >= 500) failures.push(`case ${n} (seed ${SEED}): raw request answered ${status}: ${bytes.subarray(0, 120).toString('latin1')}`);
          }
        };
      }
      const { body, headers } = bodyCase(rng);
      return async () => {
        const res = await send(agent, collector.port, body, headers);
        count(res.status);
        if (res.status >= 500) failures.push(`case ${n} (seed ${SEED}): ${res.status} ${res.text.slice(0, 200)} for ${body.subarray(0, 200).toString()}`);
      };
    };

    const started = Date.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      // Bounded by count; the time cap is only a safety stop for a wedged server (the test then fails on the count).
      while (next < CASES && Date.now() - started < 150_000) {
        const n = next++;
        if (n === 1000) {
          // Baseline after warm-up (JIT, pools, buffers), measured after a full GC.
          collectGarbage();
          baseline = process.memoryUsage().rss;
          heapBaseline = process.memoryUsage().heapUsed;
        }
        await runCase(n, makeCase(n));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    agent.destroy();
    const elapsed = Date.now() - started;

    collectGarbage();
    const rssGrowth = process.memoryUsage().rss - baseline;
    const heapGrowth = process.memoryUsage().heapUsed - heapBaseline;
    console.log(
      `fuzz: ${next} cases in ${elapsed} ms (seed ${SEED}); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; ` +
        `rss +${(rssGrowth / 2 ** 20).toFixed(1)} MiB, heap +${(heapGrowth / 2 ** 20).toFixed(1)} MiB after GC`,
    );

    expect(failures.slice(0, 20)).toEqual([]);
    expect(next).toBeGreaterThanOrEqual(Math.min(CASES, 10_000));
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    // Every valid beacon interleaved with the junk is stored, each once.
    const ids = (await stored(collector.store)).map((s) => s.id);
    const sentValid = validIds.slice(0, Math.ceil(next / VALID_EVERY));
    expect(ids.filter((id) => id.startsWith('valid-')).sort()).toEqual([...sentValid].sort());
    // Bounded: 10k requests through a 1 MiB body limit must not leave tens of MiB behind.
    expect(heapGrowth).toBeLessThan(48 * 2 ** 20);
    expect(rssGrowth).toBeLessThan(192 * 2 ** 20);
    // …and the collector still answers.
    const health = await fetch(`http://127.0.0.1:${collector.port}/healthz`);
    expect(health.status).toBe(200);
  }, 180_000);
});
