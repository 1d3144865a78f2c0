import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, FEATURE_NAMES, features, polarity } from './decision.ts';
import { DECISION_WEIGHTS } from './decision-weights.ts';
import { score } from './index.ts';
import { analyse } from './scorer.ts';

const label = (t: string) => score(t).label;
const featureOf = (t: string, name: (typeof FEATURE_NAMES)[number]) => {
  const x = new Float64Array(FEATURE_COUNT);
  features(analyse(t), t, x);
  return x[FEATURE_NAMES.indexOf(name)];
};

describe('learned polar-vs-neutral decision', () => {
  it('ships one weight per feature', () => {
    expect(DECISION_WEIGHTS).toHaveLength(FEATURE_COUNT);
  });
  it('reads informational questions with one mild word as neutral', () => {
    expect(label('Can you help me reset my password?')).toBe('neutral');
    expect(label('Will the party be on Friday?')).toBe('neutral');
  });
  it('keeps clearly loaded messages polar, questions included', () => {
    expect(label('I love this app!')).toBe('positive');
    expect(label('this is great')).toBe('positive');
    expect(label('thanks')).toBe('positive');
    expect(label('Why is this so terrible??')).toBe('negative');
    expect(label('What a joke, nothing works')).toBe('negative');
    expect(label('Is it normal that it keeps crashing?')).toBe('negative');
  });
  it('never contradicts the sign of compound, and leaves compound alone', () => {
    for (const t of ['I love this app!', 'Can you help me reset my password?', 'not bad', 'meh', 'ugh :(']) {
      const s = score(t);
      expect(s.compound).toBe(analyse(t).compound);
      if (s.label === 'positive') expect(s.compound).toBeGreaterThan(0);
      if (s.label === 'negative') expect(s.compound).toBeLessThan(0);
    }
  });
  it('is more confident for emphatic or emoji-marked sentiment than for the bare word', () => {
    const p = (t: string) => polarity(analyse(t), t);
    expect(p('nice!')).toBeGreaterThan(p('nice'));
    expect(p('ok 🙂')).toBeGreaterThan(p('ok'));
  });
  it('extracts question form only from an opener, not from any question mark', () => {
    expect(featureOf('How do I export my data?', 'questionOpener')).toBe(1);
    expect(featureOf('you did WHAT?', 'questionOpener')).toBe(0);
    expect(featureOf('you did WHAT?', 'question')).toBe(1);
  });
});
