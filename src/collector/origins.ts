// Origin patterns per site: exact origins, a `*` port (`http://localhost:*`) or a `*.` subdomain.

export function originAllowed(origin: string, patterns: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return patterns.some((pattern) => matches(url, pattern));
}

function matches(url: URL, pattern: string): boolean {
  if (pattern === '*') return true;
  // Schemes and host names are case-insensitive; URL() lowercases the request's, so lowercase the pattern.
  const m = /^(https?):\/\/(\*\.)?([^/:]+)(?::(\d+|\*))?$/.exec(pattern.trim().toLowerCase());
  if (!m) return false;
  const [, scheme, wildcardSub, host, port] = m;
  if (url.protocol !== `${scheme}:`) return false;
  const hostOk = wildcardSub ? url.hostname.endsWith(`.${host}`) : url.hostname === host;
  if (!hostOk) return false;
  if (port === '*') return true;
  const defaultPort = scheme === 'https' ? '443' : '80';
  return (url.port || defaultPort) === (port ?? defaultPort);
}

/** The origin a request claims: `Origin`, else the origin of `Referer`. */
export function requestOrigin(origin: string | undefined, referer: string | undefined): string | null {
  if (origin && origin !== 'null') return origin;
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}
