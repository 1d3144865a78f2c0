// A short, stable fingerprint of a message so the same message re-rendered after a reload maps to
// the index it already has. Text never leaves the device; this hash stays on it too.
import type { Role } from '../types.ts';

export function fingerprint(role: Role, text: string, occurrence: number): string {
  // FNV-1a over UTF-16 code units: fast, dependency-free, and collisions only cost a recount.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${role[0]}${(hash >>> 0).toString(36)}.${occurrence}`;
}
