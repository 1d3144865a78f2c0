import { describe, expect, it } from 'vitest';
import { originAllowed, requestOrigin } from './origins.ts';

describe('originAllowed', () => {
  const cases: Array<[origin: string, patterns: string[], allowed: boolean]> = [
    // exact origins
    ['https://shop.example', ['https://shop.example'], true],
    ['https://other.example', ['https://shop.example'], false],
    ['https://shop.example.evil.com', ['https://shop.example'], false],
    // default ports are the same origin whether written or not
    ['https://shop.example:443', ['https://shop.example'], true],
    ['https://shop.example', ['https://shop.example:443'], true],
    ['http://shop.example', ['http://shop.example:80'], true],
    ['https://shop.example:8443', ['https://shop.example'], false],
    ['http://shop.example:443', ['http://shop.example'], false],
    ['http://localhost:3000', ['http://localhost:3000'], true],
    ['http://localhost:3001', ['http://localhost:3000'], false],
    // `*` port
    ['http://localhost:5173', ['http://localhost:*'], true],
    ['http://localhost', ['http://localhost:*'], true],
    ['http://127.0.0.1:8787', ['http://localhost:*', 'http://127.0.0.1:*'], true],
    ['http://localhost.evil.com:5173', ['http://localhost:*'], false],
    // `*.` subdomains
    ['https://a.example.com', ['https://*.example.com'], true],
    ['https://a.b.example.com', ['https://*.example.com'], true],
    ['https://example.com', ['https://*.example.com'], false],
    ['https://evil-example.com', ['https://*.example.com'], false],
    ['https://evilexample.com', ['https://*.example.com'], false],
    ['https://example.com.evil.com', ['https://*.example.com'], false],
    // scheme mismatch
    ['http://shop.example', ['https://shop.example'], false],
    ['https://localhost:5173', ['http://localhost:*'], false],
    ['http://a.example.com', ['https://*.example.com'], false],
    // junk
    ['not a url', ['https://shop.example'], false],
    ['null', ['https://shop.example'], false],
    ['', ['https://shop.example'], false],
    ['https://shop.example', [], false],
    ['https://shop.example', ['shop.example', 'ftp://shop.example', 'https://shop.example/path'], false],
    // host names and schemes are case-insensitive on both sides
    ['https://Shop.Example', ['https://shop.example'], true],
    ['https://shop.example', ['https://Shop.Example'], true],
    ['https://a.example.com', ['HTTPS://*.EXAMPLE.COM'], true],
    // IDN: the request origin arrives in punycode
    ['https://xn--bcher-kva.example', ['https://xn--bcher-kva.example'], true],
    // `*` alone allows any origin
    ['https://anything.test', ['*'], true],
  ];
  it.each(cases)('%s against %j → %s', (origin, patterns, allowed) => {
    expect(originAllowed(origin, patterns)).toBe(allowed);
  });
});

describe('requestOrigin', () => {
  it('prefers the Origin header', () => {
    expect(requestOrigin('https://a.example', 'https://b.example/page')).toBe('https://a.example');
  });
  it('falls back to the origin of Referer (path and query dropped)', () => {
    expect(requestOrigin(undefined, 'https://shop.example:8443/help?q=1#x')).toBe('https://shop.example:8443');
  });
  it('treats Origin "null" as missing', () => {
    expect(requestOrigin('null', 'https://shop.example/help')).toBe('https://shop.example');
    expect(requestOrigin('null', undefined)).toBeNull();
  });
  it('returns null with neither, or with an unparsable Referer', () => {
    expect(requestOrigin(undefined, undefined)).toBeNull();
    expect(requestOrigin(undefined, 'not a url')).toBeNull();
  });
});
