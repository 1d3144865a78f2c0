// Real collector processes for the scale-out, crash and shutdown tests: `node --import tsx
// src/collector/main.ts` (one process, so a signal reaches the server itself, not a wrapper), on
// 127.0.0.1 and a free port, ready once its "listening" log line appears. Used only by *.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Summary } from '../shared/summary.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const PROCESS_TOKEN = 'process-test-admin-token-0123456789';
/** The demo site every collector creates, and an origin it allows. */
export const DEMO_KEY = 'demo';
export const DEMO_ORIGIN = 'http://localhost:3000';

export interface CollectorProcess {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

export async function startCollectorProcess(database: string, extraEnv: Record<string, string> = {}): Promise<CollectorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/collector/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      CHATPULSE_DB: database,
      CHATPULSE_ADMIN_TOKEN: PROCESS_TOKEN,
      // One test client on loopback stands in for many visitors: lift the per-IP and per-site limits.
      CHATPULSE_RATE_LIMIT_IP: '100000/100000',
      CHATPULSE_RATE_LIMIT_SITE: '100000/100000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': it fires after the child's output has been read to the end.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('close', (code, signal) => done({ code, signal })));

  const deadline = Date.now() + 30_000;
  for (;;) {
    const port = /"msg":"listening".*?"port":(\d+)/.exec(output)?.[1];
    if (port) return { url: `http://127.0.0.1:${port}`, child, exited, output: () => output };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`collector did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** POSTs summaries of the demo site as the widget does (text/plain, allowed Origin). */
export function postSummaries(url: string, summaries: Summary[]): Promise<Response> {
  return fetch(`${url}/v1/collect`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: DEMO_ORIGIN },
    body: JSON.stringify({ v: 1, site: DEMO_KEY, sentAt: new Date().toISOString(), summaries }),
  });
}

/** Every stored conversation of the demo site (id → revision), through the admin API. */
export async function storedRevisions(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/v1/conversations?site=${DEMO_KEY}&from=0&to=8640000000000000&limit=1000`, {
    headers: { Authorization: `Bearer ${PROCESS_TOKEN}` },
  });
  if (res.status !== 200) throw new Error(`conversations: ${res.status}`);
  const body = (await res.json()) as { conversations: Summary[] };
  return new Map(body.conversations.map((s) => [s.id, s.revision]));
}

/** Sends SIGTERM or SIGKILL and waits for the exit. */
export async function stop(proc: CollectorProcess, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
  return proc.exited;
}

/** Fisher–Yates with a seeded generator, so a failure can be replayed. */
export function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
