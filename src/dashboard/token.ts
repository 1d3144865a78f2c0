// The admin token: arrives once in the URL fragment (`#token=…`, printed by the collector), is kept
// in localStorage, and is removed from the address bar so it does not end up in history or screenshots.
const STORAGE_KEY = 'chatpulse.adminToken';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Reads `#token=` (moving it into storage), else the stored token. */
export function takeInitialToken(): string | null {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const fromHash = params.get('token')?.trim();
  if (params.has('token')) {
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`);
  }
  if (fromHash) {
    saveToken(fromHash);
    return fromHash;
  }
  return storage()?.getItem(STORAGE_KEY) ?? null;
}

export function saveToken(token: string): void {
  try {
    storage()?.setItem(STORAGE_KEY, token);
  } catch {
    // Private mode or quota: the token lives for this tab only.
  }
}

export function clearToken(): void {
  try {
    storage()?.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}
