import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, FEATURE_NAMES, HASH_BITS, LEVELS, features, forEachBucket, logits } from './decision.ts';
import { DENSE_NEGATIVE, DENSE_POSITIVE, HASHED_WEIGHTS } from './decision-weights.ts';
import { score } from './index.ts';
import { analyse } from './scorer.ts';

const label = (t: string) => score(t).label;
const featureOf = (t: string, name: (typeof FEATURE_NAMES)[number]) => {
  const x = new Float64Array(FEATURE_COUNT);
  features(analyse(t), t, x);
  return x[FEATURE_NAMES.indexOf(name)];
};
const bucketsOf = (t: string) => {
  const out: number[] = [];
  forEachBucket(analyse(t), (b) => out.push(b));
  return out;
};

describe('learned 3-class label', () => {
  it('ships one dense weight per feature and class, and two hashed levels per bucket', () => {
    expect(DENSE_NEGATIVE).toHaveLength(FEATURE_COUNT);
    expect(DENSE_POSITIVE).toHaveLength(FEATURE_COUNT);
    expect(HASHED_WEIGHTS).toHaveLength(2 << HASH_BITS);
    expect([...HASHED_WEIGHTS].every((c) => LEVELS.includes(c))).toBe(true);
  });
  it('reads informational questions and announcements as neutral', () => {
    expect(label('Can you help me reset my password?')).toBe('neutral');
    expect(label('Will the party be on Friday?')).toBe('neutral');
    expect(label('Where do I find the invoice for last month?')).toBe('neutral');
  });
  it('keeps clearly loaded messages polar, questions included', () => {
    expect(label('I love this app!')).toBe('positive');
    expect(label('this is great')).toBe('positive');
    expect(label('thanks, that fixed it')).toBe('positive');
    expect(label('Why is this so terrible??')).toBe('negative');
    expect(label('What a joke, nothing works')).toBe('negative');
    expect(label('still waiting, this is useless')).toBe('negative');
  });
  it('never contradicts a non-zero compound: the rules give the direction', () => {
    const texts = [
      'I love this app!', 'no problem', 'not bad', "I don't hate it", 'thanks anyway',
      'oh great, it crashed again', 'great... another error', 'The UI is nice but it keeps logging me out',
      'Can you help me reset my password?', 'still waiting', 'that fixed it', 'ugh :(', 'meh',
    ];
    for (const t of texts) {
      const s = score(t);
      if (s.compound > 0) expect(s.label, t).not.toBe('negative');
      if (s.compound < 0) expect(s.label, t).not.toBe('positive');
    }
    expect(label('')).toBe('neutral');
    expect(label('   ')).toBe('neutral');
  });
  it('never throws and answers the same twice on odd input', () => {
    const odd = [
      '', '\u0000', '\ud800 lone surrogate \udfff', 'İstanbul! ΣΑΣ ﬁne', '... !!! ???', '@a @b http://x',
      '#', '😀'.repeat(500), 'word '.repeat(20_000), 'a'.repeat(100_000), '\t\n\r',
    ];
    for (const t of odd) {
      const first = score(t);
      expect(score(t)).toEqual(first);
      expect(Number.isFinite(first.compound)).toBe(true);
      expect(['positive', 'neutral', 'negative']).toContain(first.label);
    }
  });
  it('is more confident for emphatic or emoji-marked sentiment than for the bare word', () => {
    const positive = (t: string) => logits(analyse(t), t).positive;
    expect(positive('nice!')).toBeGreaterThan(positive('nice'));
    expect(positive('ok 🙂')).toBeGreaterThan(positive('ok'));
  });
  it('hashes topic words apart from lexicon words and their pairs, with negation marked', () => {
    const half = 1 << (HASH_BITS - 1);
    // Topic words alone, no pairs: each in the upper half.
    const topic = bucketsOf('the iphone event is on thursday');
    expect(topic).toHaveLength(6);
    expect(topic.every((b) => b >= half)).toBe(true);
    expect(bucketsOf('good')).toHaveLength(1);
    expect(bucketsOf('good')[0]).toBeLessThan(half);
    expect(bucketsOf('not good')).not.toContain(bucketsOf('good')[0]);
    // "good morning": both words and the pair; a clause boundary breaks the pair.
    expect(bucketsOf('good morning')).toHaveLength(3);
    expect(bucketsOf('good. morning')).toHaveLength(2);
    // Mentions and links carry nothing.
    expect(bucketsOf('@support https://example.com/x')).toEqual([]);
  });
  it('extracts question form only from an opener, not from any question mark', () => {
    expect(featureOf('How do I export my data?', 'questionOpener')).toBe(1);
    expect(featureOf('you did WHAT?', 'questionOpener')).toBe(0);
    expect(featureOf('you did WHAT?', 'question')).toBe(1);
  });
});
