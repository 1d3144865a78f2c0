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

/**
 * Why a pattern cannot be stored, or null if it is one `originAllowed` understands. Checked when a
 * site is created or edited, so a typo (a path, a trailing slash) fails loudly instead of silently
 * rejecting every beacon of the site.
 */
export function originPatternProblem(pattern: string): string | null {
  if (pattern === '*') return null;
  if (pattern.length > 255) return 'longer than 255 characters';
  const m = /^(https?):\/\/(\*\.)?([^/:*?#@\s]+)(?::(\d{1,5}|\*))?$/.exec(pattern.toLowerCase());
  if (!m) return 'must look like https://host, https://*.host, http://host:port or http://host:* (no path, no trailing slash)';
  if (m[4] && m[4] !== '*' && Number(m[4]) > 65535) return 'port out of range';
  return null;
}
