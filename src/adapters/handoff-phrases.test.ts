import { describe, expect, it } from 'vitest';
import { asksForHuman } from './handoff-phrases.ts';

describe('asksForHuman', () => {
  it.each(['Talk to a human', 'Can I speak to a real person?', 'connect me with an agent please', 'Live agent', 'I want to chat with someone from the support team', 'Contact support'])(
    'recognises "%s"',
    (text) => expect(asksForHuman(text)).toBe(true),
  );
  it.each(['How do I reset my password?', 'The agent setting is greyed out', 'Thanks, that helped', 'Is a human review needed for refunds?'])('does not fire on "%s"', (text) =>
    expect(asksForHuman(text)).toBe(false),
  );
});
