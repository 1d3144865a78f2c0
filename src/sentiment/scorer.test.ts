import { describe, expect, it } from 'vitest';
import { score } from './index.ts';

const c = (t: string) => score(t).compound;
const label = (t: string) => score(t).label;

describe('score: shape', () => {
  it('returns VADER-style proportions and a compound in [-1, 1]', () => {
    const s = score('I love this, it is AMAZING!!!');
    expect(s.compound).toBeGreaterThan(0.5);
    expect(s.compound).toBeLessThanOrEqual(1);
    expect(s.positive + s.negative + s.neutral).toBeCloseTo(1, 5);
    expect(s.label).toBe('positive');
  });
  it('scores empty and sentiment-free text as neutral', () => {
    expect(score('')).toEqual({ compound: 0, positive: 0, negative: 0, neutral: 0, label: 'neutral' });
    expect(label('Where can I change my delivery address?')).toBe('neutral');
    expect(label('My order number is 12345')).toBe('neutral');
  });
});

describe('negation window', () => {
  it('flips sentiment words after a negator', () => {
    expect(label('This is not good')).toBe('negative');
    expect(label("I don't like the new layout")).toBe('negative');
  });
  it('does not make negated negatives negative', () => {
    expect(label('not bad')).not.toBe('negative');
    expect(label("I don't hate it")).not.toBe('negative');
    expect(label('no problem')).not.toBe('negative');
    expect(label('No worries, take your time')).not.toBe('negative');
  });
  it('stops at clause punctuation and at the first sentiment word', () => {
    expect(label('No, this is great')).toBe('positive');
    expect(label("You aren't good at dirty talk")).toBe('negative');
  });
  it('ends the sentence at punctuation typed apart or after a mention', () => {
    // A bare "." or "..." token ends the word before it; a mention keeps its full stop.
    expect(label('I am not . happy')).toBe('positive');
    expect(label('not @bob. great')).toBe('positive');
    expect(label('not bob great')).toBe('negative');
    // The spaced ellipsis still marks the sarcastic pause ("great... another error").
    expect(label('great ... another error')).toBe('negative');
  });
  it('accepts apostrophe-less and curly-apostrophe contractions', () => {
    expect(label('it dont work')).toBe('negative');
    expect(label('this doesnt help at all')).toBe('negative');
    expect(label('it won\u2019t work')).toBe('negative');
  });
  it('"never so" and "haven\'t been this" intensify instead of negating', () => {
    expect(c('I have never been so happy')).toBeGreaterThan(c('I have been happy'));
  });
});

describe('boosters and dampeners', () => {
  it('boost and dampen the next sentiment word', () => {
    expect(c('very good')).toBeGreaterThan(c('good'));
    expect(c('kind of good')).toBeLessThan(c('good'));
    expect(c('slightly annoying')).toBeGreaterThan(c('annoying'));
  });
  it('treat "pretty" as a dampener before an adjective but keep "pretty" alone', () => {
    expect(label('pretty bad service')).toBe('negative');
    expect(label('she is pretty')).toBe('positive');
  });
});

describe('ALL CAPS, stretched words, punctuation', () => {
  it('emphasises ALL-CAPS words only when the rest is not shouting', () => {
    expect(c('this is AWFUL')).toBeLessThan(c('this is awful'));
  });
  it('reads stretched words and counts them as emphasis', () => {
    expect(label('sooo gooood')).toBe('positive');
    expect(c('this is gooood')).toBeGreaterThan(c('this is good'));
    expect(label('hahahaha')).toBe('positive');
  });
  it('does not treat ordinary double letters as stretching', () => {
    expect(label('I need to book a meeting')).toBe('neutral');
  });
  it('amplifies with ! and ?? but not with a single ?', () => {
    expect(c('great!!!')).toBeGreaterThan(c('great'));
    expect(c('why is it broken???')).toBeLessThan(c('why is it broken'));
    expect(c('is it good?')).toBeCloseTo(c('is it good'), 6);
  });
});

describe('contrast and multi-sentence messages', () => {
  it('lets the clause after "but" dominate', () => {
    expect(label('The agent was nice but the problem is still there and I am angry')).toBe('negative');
    expect(label('It was slow at first but now it works great')).toBe('positive');
  });
  it('weighs the last sentence more than the first', () => {
    const a = c('This is terrible. OK it is good now.');
    const b = c('OK it is good now. This is terrible.');
    expect(a).toBeGreaterThan(b);
  });
});

describe('emoji and emoticons', () => {
  it('scores emoticons and emoji, also glued to words', () => {
    expect(label('thanks :)')).toBe('positive');
    expect(label('still broken :(')).toBe('negative');
    expect(label('love it😍')).toBe('positive');
    expect(label('👎')).toBe('negative');
  });
  it('does not negate an emoticon', () => {
    expect(label('nope :-)')).toBe('positive');
  });
});
