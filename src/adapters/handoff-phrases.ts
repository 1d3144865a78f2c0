// Words people use to ask for a person instead of the bot. Checked against control labels and,
// on the device only, against user messages.
const HANDOFF_PATTERNS: readonly RegExp[] = [
  /\b(talk|speak|chat|connect|transfer)\b[^.?!]{0,25}\b(human|person|agent|representative|rep|operator|someone|somebody|staff|support team)\b/i,
  /\b(live|human|real|support)\s+(agent|person|chat|operator|representative)\b/i,
  /\bcontact (support|an agent|a human)\b/i,
];

export function asksForHuman(text: string): boolean {
  if (text.length > 300) return false;
  return HANDOFF_PATTERNS.some((pattern) => pattern.test(text));
}
