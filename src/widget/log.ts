// The one place ChatPulse speaks to the console: prefixed, and each warning once per page unless
// data-debug is on, so a broken setup never floods the host's console.
declare const __CHATPULSE_DEBUG__: boolean;

const PREFIX = '[ChatPulse]';
const said = new Set<string>();
let verbose = false;
const errorListeners = new Set<(error: { message: string }) => void>();

export function setVerbose(on: boolean): void {
  verbose = on;
}

export function onError(listener: (error: { message: string }) => void): () => void {
  errorListeners.add(listener);
  return () => errorListeners.delete(listener);
}

export function warn(message: string, cause?: unknown): void {
  const detail = cause instanceof Error ? cause.message : cause === undefined ? '' : String(cause);
  for (const listener of errorListeners) {
    try {
      listener({ message: detail ? `${message}: ${detail}` : message });
    } catch {
      // A listener's own failure must not come back into ChatPulse or the host.
    }
  }
  if (!verbose && said.has(message)) return;
  said.add(message);
  try {
    console.warn(PREFIX, message, ...(detail ? [detail] : []));
  } catch {
    // console itself may be replaced by the host.
  }
}

export function debug(...parts: unknown[]): void {
  if (__CHATPULSE_DEBUG__ && verbose) console.debug(PREFIX, ...parts);
}

/** Runs `fn`, turning any throw into one warning: nothing ChatPulse does may throw into the host. */
export function safely<A extends unknown[], R>(label: string, fn: (...args: A) => R): (...args: A) => R | undefined {
  return (...args: A) => {
    try {
      const result = fn(...args);
      if (result instanceof Promise) result.catch((error: unknown) => warn(`${label} failed`, error));
      return result;
    } catch (error) {
      warn(`${label} failed`, error);
      return undefined;
    }
  };
}
