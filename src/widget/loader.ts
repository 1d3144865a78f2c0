// dist/chatpulse.js: the classic script a site pastes. It must stay tiny and work from a plain
// <script async src> tag, so it only installs the call queue and imports the ESM engine that sits
// next to it (the engine's own lazy chunks load relative to it in turn).
interface QueueStub {
  q: unknown[][];
  [method: string]: unknown;
}

(function chatPulseLoader() {
  try {
    const script = document.currentScript as HTMLScriptElement | null;
    if (!script || !script.src) return;
    const w = window as unknown as { ChatPulse?: QueueStub };
    const stub: QueueStub = w.ChatPulse && Array.isArray(w.ChatPulse.q) ? w.ChatPulse : { q: [] };
    for (const method of ['endConversation', 'handoff', 'resolve', 'csat', 'flush', 'on', 'consent', 'trace']) {
      if (typeof stub[method] !== 'function') {
        stub[method] = (...args: unknown[]) =>
          new Promise((resolve, reject) => {
            stub.q.push([method, args, resolve, reject]);
          });
      }
    }
    w.ChatPulse = stub;
    import(/* @vite-ignore */ new URL('esm/core.js', script.src).href).then(
      (engine: { boot(script: HTMLScriptElement): void }) => engine.boot(script),
      (error: unknown) => console.warn('[ChatPulse] could not load', String(error)),
    );
  } catch (error) {
    console.warn('[ChatPulse] could not start', String(error));
  }
})();
