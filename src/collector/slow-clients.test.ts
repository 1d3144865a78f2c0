// Slow clients against a real listening collector: a client trickling its headers or its body is
// cut off (408 and the connection closed) instead of holding a socket and a buffer for minutes,
// nothing it sent is stored, and other clients are served meanwhile.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from './server.ts';
import { ORIGIN, SITE, envelope, stored, summary } from './test-fixtures.ts';

const TIMEOUT_MS = 600;

interface Trickle {
  /** Status line received, if any (Node answers 408 to a request that timed out). */
  status: number | null;
  /** Milliseconds from connect until the server closed the connection. */
  closedAfterMs: number;
  /** Bytes the client managed to write before the server closed. */
  written: number;
}

/** Writes `head` at once, then `piece` every `everyMs` until the server closes or `giveUpMs` passes. */
function trickle(port: number, head: string, piece: string, everyMs: number, giveUpMs = 8000, maxPieces = Infinity): Promise<Trickle> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let written = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      resolve({ status: match ? Number(match[1]) : null, closedAfterMs: Date.now() - started, written });
    };
    const giveUp = setTimeout(finish, giveUpMs);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('close', finish);
    socket.on('error', () => {});
    socket.on('connect', () => {
      socket.write(head);
      written += head.length;
      timer = setInterval(() => {
        if (!socket.writable || written >= head.length + maxPieces * piece.length) return;
        socket.write(piece);
        written += piece.length;
      }, everyMs);
    });
  });
}

describe('slow clients', () => {
  let collector: RunningCollector;

  beforeAll(async () => {
    collector = await startCollector({
      port: 0,
      host: '127.0.0.1',
      database: ':memory:',
      adminToken: 'slow-admin-token',
      projectRoot: process.cwd(),
      timeouts: { headersMs: TIMEOUT_MS, bodyMs: TIMEOUT_MS, requestMs: TIMEOUT_MS * 3 },
    });
    await collector.store.putSite({ key: SITE, name: 'Shop', origins: [ORIGIN], enabled: true });
  });

  afterAll(async () => {
    await collector?.close();
  });

  const body = JSON.stringify(envelope([summary({ id: 'slow-body' })]));
  const requestHead = (framing: string): string =>
    `POST /v1/collect HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${ORIGIN}\r\nContent-Type: text/plain\r\n${framing}\r\n\r\n`;

  it('cuts off a client that trickles its headers (Node headersTimeout: 408, closed)', async () => {
    const result = await trickle(collector.port, 'POST /v1/collect HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: a\r\n', 100);
    expect(result.closedAfterMs).toBeLessThan(TIMEOUT_MS * 5);
    expect(result.status === 408 || result.status === null).toBe(true);
  });

  it('cuts off a client that trickles a Content-Length body (408 body_timeout, closed, nothing stored)', async () => {
    const result = await trickle(collector.port, requestHead(`Content-Length: ${body.length}`) + body.slice(0, 10), body.slice(10, 12), 100);
    expect(result.status).toBe(408);
    expect(result.closedAfterMs).toBeLessThan(TIMEOUT_MS * 5);
    expect(result.written).toBeLessThan(body.length);
    expect((await stored(collector.store)).map((s) => s.id)).not.toContain('slow-body');
  });

  it('cuts off a client that trickles a chunked body', async () => {
    const result = await trickle(collector.port, requestHead('Transfer-Encoding: chunked'), '1\r\nx\r\n', 100);
    expect(result.status).toBe(408);
    expect(result.closedAfterMs).toBeLessThan(TIMEOUT_MS * 5);
  });

  it('serves other clients while slow ones are connected, and accepts a body that arrives in time', async () => {
    const slow = Array.from({ length: 20 }, () => trickle(collector.port, requestHead(`Content-Length: ${body.length}`), ' ', 200));
    const s = summary({ id: 'on-time' });
    const res = await fetch(`http://127.0.0.1:${collector.port}/v1/collect`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: ORIGIN },
      body: JSON.stringify(envelope([s])),
    });
    expect(res.status).toBe(202);
    // a body split in pieces but complete well within the deadline is fine
    const split = await trickle(collector.port, requestHead(`Content-Length: ${body.length}`) + body.slice(0, 100), body.slice(100), 50, 1500, 1);
    expect(split.status).toBe(202);
    const results = await Promise.all(slow);
    for (const r of results) expect(r.status).toBe(408);
    expect((await stored(collector.store)).map((x) => x.id).sort()).toEqual(['on-time', 'slow-body']);
  });
});
