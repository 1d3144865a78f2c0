// DOM helpers that see through open shadow roots, which chat web components commonly use.

/** Elements matching `selector` in `root` and in every open shadow root below it. */
export function queryDeep(root: ParentNode, selector: string, includeSelf = false): Element[] {
  const found: Element[] = [];
  if (includeSelf && (root as Node).nodeType === 1 && safeMatches(root as Element, selector)) found.push(root as Element);
  walk(root, (scope) => {
    for (const el of safeQueryAll(scope, selector)) found.push(el);
  });
  return found;
}

/** The first match in `root` or its open shadow roots. */
export function queryDeepFirst(root: ParentNode, selector: string): Element | null {
  const direct = safeQuery(root, selector);
  if (direct) return direct;
  let hit: Element | null = null;
  walkShadows(root, (shadow) => {
    hit ??= safeQuery(shadow, selector);
    return hit === null;
  });
  return hit;
}

/** Every open shadow root under `root` (not `root` itself). */
export function shadowRootsUnder(root: ParentNode): ShadowRoot[] {
  const roots: ShadowRoot[] = [];
  walkShadows(root, (shadow) => {
    roots.push(shadow);
    return true;
  });
  return roots;
}

function walk(root: ParentNode, visit: (scope: ParentNode) => void): void {
  visit(root);
  walkShadows(root, (shadow) => {
    visit(shadow);
    return true;
  });
}

/** Visits open shadow roots depth-first; the visitor returns false to stop. */
function walkShadows(root: ParentNode, visit: (shadow: ShadowRoot) => boolean): void {
  const stack: ParentNode[] = [root];
  while (stack.length > 0) {
    const scope = stack.pop()!;
    // Node types, not instanceof: a same-origin iframe's nodes come from another realm.
    const hosts = (scope as Node).nodeType === 1 && (scope as Element).shadowRoot ? [scope as Element] : [];
    // Only elements with a shadow root matter; a tree walker avoids building a NodeList of all nodes.
    const walker = document.createTreeWalker(scope as Node, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if ((node as Element).shadowRoot) hosts.push(node as Element);
    }
    for (const host of hosts) {
      const shadow = host.shadowRoot;
      if (!shadow || isOwnHost(host)) continue;
      if (!visit(shadow)) return;
      stack.push(shadow);
    }
  }
}

/** Hosts ChatPulse itself created: never instrument our own UI. */
export const OWN_HOST_ATTRIBUTE = 'data-chatpulse';

export function isOwnHost(el: Element): boolean {
  return el.hasAttribute(OWN_HOST_ATTRIBUTE);
}

export function safeMatches(el: Element, selector: string): boolean {
  try {
    return el.matches(selector);
  } catch {
    return false;
  }
}

function safeQuery(scope: ParentNode, selector: string): Element | null {
  try {
    return scope.querySelector(selector);
  } catch {
    return null;
  }
}

function safeQueryAll(scope: ParentNode, selector: string): Element[] {
  try {
    return Array.from(scope.querySelectorAll(selector));
  } catch {
    return [];
  }
}

export function isValidSelector(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

/** Visible text of a message, whitespace folded; our own shadow hosts add nothing to textContent. */
export function messageText(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}
