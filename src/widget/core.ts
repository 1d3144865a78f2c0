// The script-tag engine, imported by the classic loader (dist/chatpulse.js): reads the tag's
// data-* attributes, starts ChatPulse, and replays calls queued on the window.ChatPulse stub.
import type { PublicApi } from '../types.ts';
import { configFromScript } from './config.ts';
import { init } from './index.ts';
import { warn } from './log.ts';

type QueuedCall = [method: string, args: unknown[], resolve?: (value: unknown) => void, reject?: (error: unknown) => void];

interface Stub {
  q?: QueuedCall[];
}

const METHODS = ['endConversation', 'handoff', 'resolve', 'csat', 'flush', 'on', 'consent', 'trace'] as const;

export function boot(script: HTMLScriptElement): void {
  try {
    const input = configFromScript(script);
    if (!input) {
      warn('the script tag has no data-site; ChatPulse is off');
      return;
    }
    const api = init(input);
    const stub = (window as unknown as { ChatPulse?: Stub }).ChatPulse;
    const queued = stub?.q ?? [];
    (window as unknown as { ChatPulse: PublicApi }).ChatPulse = api;
    for (const [method, args, resolve, reject] of queued) replay(api, method, args, resolve, reject);
  } catch (error) {
    warn('could not start', error);
  }
}

function replay(api: PublicApi, method: string, args: unknown[], resolve?: (v: unknown) => void, reject?: (e: unknown) => void): void {
  if (!(METHODS as readonly string[]).includes(method)) return;
  try {
    const fn = api[method as (typeof METHODS)[number]] as (...a: unknown[]) => unknown;
    const result = fn(...args);
    if (result instanceof Promise) result.then(resolve, reject);
    else resolve?.(result);
  } catch (error) {
    reject?.(error);
  }
}
