import { describe, expect, it } from 'vitest';
import { luhn, redact, validIban } from './redact.ts';

describe('redact', () => {
  it.each([
    ['mail me at jane.doe+help@example.co.uk please', 'mail me at [email] please'],
    ['my card is 4111 1111 1111 1111, expired?', 'my card is [card], expired?'],
    ['card 5500-0000-0000-0004', 'card [card]'],
    ['IBAN DE89 3704 0044 0532 0130 00 for the refund', 'IBAN [iban] for the refund'],
    ['GB82WEST12345698765432', '[iban]'],
    ['call me on +44 20 7946 0958', 'call me on [phone]'],
    ['my number is (555) 123-4567', 'my number is [phone]'],
    ['ring 0612345678 tomorrow', 'ring [phone] tomorrow'],
  ])('hides "%s"', (input, expected) => expect(redact(input)).toBe(expected));

  it.each([
    'order 12345 is late',
    'I paid 1,299.00 EUR on 2026-11-27',
    'version 4.11.2 crashes',
    'ticket 4111111111111112 (not a valid card)',
    'the DE team will call',
    'error code 502',
  ])('leaves "%s" alone', (input) => expect(redact(input)).toBe(input));

  it('checks cards with Luhn and IBANs with mod 97', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
    expect(validIban('DE89370400440532013000')).toBe(true);
    expect(validIban('DE89370400440532013001')).toBe(false);
  });
});
