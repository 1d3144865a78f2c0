import { describe, expect, it } from 'vitest';
import { score } from './index.ts';

const c = (t: string) => score(t).compound;
const label = (t: string) => score(t).label;

describe('support phrases', () => {
  it('recognises complaints', () => {
    expect(label('still waiting for my refund')).toBe('negative');
    expect(c("it still doesn't work")).toBeLessThanOrEqual(-0.5);
    expect(label('this bot is useless')).toBe('negative');
    expect(label('that was not helpful')).toBe('negative');
    expect(label('what a waste of time')).toBe('negative');
    expect(label('the app keeps crashing')).toBe('negative');
    expect(label('it stopped working after the update')).toBe('negative');
  });
  it('reads asking for a person as frustration', () => {
    expect(label('let me talk to a human')).toBe('negative');
    expect(label('can I speak to a real person')).toBe('negative');
  });
  it('does not fire on neutral mentions of the same words', () => {
    expect(label('I work at a bakery')).toBe('neutral');
    expect(label('Can you help me reset my password?')).not.toBe('negative');
    expect(label('I was waiting for the bus')).toBe('neutral');
    expect(label('make sure the cable is plugged in')).toBe('neutral');
  });
  it('recognises resolution', () => {
    expect(c('thanks, that worked')).toBeGreaterThanOrEqual(0.3);
    expect(label('the fix worked')).toBe('positive');
    expect(label('that fixed it, thank you!')).toBe('positive');
    expect(label('it works now')).toBe('positive');
  });
  it('reads polite closings that mean "not solved" as not positive', () => {
    expect(label('thanks anyway')).not.toBe('positive');
    expect(label('ok thanks anyway')).not.toBe('positive');
    expect(label('no thanks')).toBe('neutral');
    expect(label('thanks for the help')).toBe('positive');
  });
  it('keeps "not sure" mild', () => {
    expect(c("I'm not sure")).toBeGreaterThan(-0.3);
  });
});

describe('sarcasm markers', () => {
  it('flips cheap sarcasm', () => {
    expect(label('yeah right')).toBe('negative');
    expect(label('thanks for nothing')).toBe('negative');
    expect(label('great... another error')).toBe('negative');
    expect(label('oh great, it crashed again')).toBe('negative');
  });
  it('does not flip sincere positives', () => {
    expect(label('great, thanks!')).toBe('positive');
    expect(label('oh great, that worked')).toBe('positive');
    expect(label('great... see you tomorrow')).toBe('positive');
  });
});

describe('chat spellings', () => {
  it('reads common chat spellings and misspellings', () => {
    expect(label('thx')).toBe('positive');
    expect(label('so dissapointed')).toBe('negative');
    expect(label('luv this app')).toBe('positive');
    expect(label('lovin it')).toBe('positive');
  });
  it('treats request words as at most mildly positive', () => {
    expect(c('please help')).toBeLessThan(0.3);
    expect(label('I would like to change my plan')).toBe('neutral');
    expect(label('contact support')).toBe('neutral');
  });
});
