// A local HTTP receiver for forwarder tests (127.0.0.1 only): records every request, answers as
// `answer` says (default 200), and can be closed (the port refuses connections) and restarted on
// the same port. Used only by *.test.ts files.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status the receiver answered. */
  status: number;
}

export type Answer = (request: Omit<ReceivedRequest, 'status'>, n: number) => number | Promise<number>;

export interface Receiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Requests answered 2xx. */
  accepted(path?: string): ReceivedRequest[];
  answer: Answer;
  close(): Promise<void>;
  restart(): Promise<void>;
}

export async function startReceiver(answer: Answer = () => 200, port = 0): Promise<Receiver> {
  let server: Server | null = null;
  let n = 0;
  const receiver: Receiver = {
    url: '',
    port: 0,
    requests: [],
    answer,
    accepted: (path) => receiver.requests.filter((r) => r.status >= 200 && r.status < 300 && (path === undefined || r.path === path)),
    async close() {
      const s = server;
      server = null;
      if (!s) return;
      await new Promise<void>((done) => {
        s.close(() => done());
        s.closeAllConnections();
      });
    },
    async restart() {
      await listen(receiver.port);
    },
  };
  const listen = (on: number) =>
    new Promise<void>((ready, fail) => {
      const s = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
          void Promise.resolve(receiver.answer(request, ++n)).then((status) => {
            receiver.requests.push({ ...request, status });
            res.writeHead(status, { 'Content-Type': 'application/json' });
            res.end(status < 300 ? '{}' : '{"error":"receiver says no"}');
          });
        });
      });
      s.keepAliveTimeout = 100;
      s.once('error', fail);
      s.listen(on, '127.0.0.1', () => {
        server = s;
        receiver.port = (s.address() as AddressInfo).port;
        receiver.url = `http://127.0.0.1:${receiver.port}`;
        ready();
      });
    });
  await listen(port);
  return receiver;
}
