// Trusted Types: under `require-trusted-types-for 'script'` a Worker URL must be a TrustedScriptURL.
// ChatPulse creates one policy, named `chatpulse` (sites that list allowed policy names add it to
// their `trusted-types` directive), which only passes through URLs ChatPulse built itself.

interface TrustedTypePolicyLike {
  createScriptURL(url: string): unknown;
}

let policy: TrustedTypePolicyLike | null | undefined;

export function trustedScriptUrl(url: string): string {
  if (policy === undefined) {
    const factory = (globalThis as { trustedTypes?: { createPolicy(name: string, rules: { createScriptURL(u: string): string }): TrustedTypePolicyLike } }).trustedTypes;
    try {
      policy = factory ? factory.createPolicy('chatpulse', { createScriptURL: (u) => u }) : null;
    } catch {
      policy = null; // The site's `trusted-types` list does not allow our name: plain strings it is.
    }
  }
  // The Worker constructor accepts the TrustedScriptURL object; typed as string for the DOM lib.
  return (policy ? policy.createScriptURL(url) : url) as string;
}
