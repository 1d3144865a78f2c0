import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { compileIntents, labelIntent } from './match.ts';
import { IntentListSchema } from './schema.ts';

const intents = compileIntents([
  { name: 'billing', patterns: ['invoice', 'refund', 'charged twice', 'Rechnung', 'factura', '請求書', '/\\bVAT\\b/'] },
  { name: 'password', patterns: ['password', 'log in', 'login', 'mot de passe', 'contraseña', 'Passwort', 'パスワード'] },
  { name: 'shipping', patterns: ['delivery', 'shipping', 'tracking number', 'Lieferung'] },
]);

describe('labelIntent', () => {
  it.each([
    ['I was charged twice this month', 'billing'],
    ['Where is my INVOICE?', 'billing'],
    ['Ich habe keine Rechnung bekommen', 'billing'],
    ['¿Dónde está mi factura?', 'billing'],
    ['請求書が届きません', 'billing'],
    ['J’ai oublié mon mot de passe', 'password'],
    ['olvidé mi contrasena', 'password'], // accents do not decide
    ['パスワードを忘れました', 'password'],
    ['Wann kommt meine Lieferung?', 'shipping'],
    ['Is VAT included?', 'billing'],
  ])('%s → %s', (text, expected) => {
    expect(labelIntent([text], intents)).toBe(expected);
  });

  it('matches whole words only in spaced scripts', () => {
    expect(labelIntent(['the deliverymen were late'], intents)).toBeNull();
    expect(labelIntent(['relogin please'], intents)).toBeNull();
  });

  it('takes the first message that says anything, and the best-matching intent in it', () => {
    expect(labelIntent(['hi there', 'my login fails and my invoice too, refund please'], intents)).toBe('billing');
    expect(labelIntent(['hello', 'hello again', 'still hello', 'now about my invoice'], intents)).toBeNull();
  });

  it('breaks ties by the order the site defined its intents', () => {
    expect(labelIntent(['invoice for my delivery'], intents)).toBe('billing');
  });

  it('a regex that is invalid never matches and never throws', () => {
    expect(labelIntent(['anything (', 'x'], compileIntents([{ name: 'broken', patterns: ['/(/'] }]))).toBeNull();
  });
});

describe('IntentListSchema', () => {
  it('accepts a valid list and trims it', () => {
    const out = v.parse(IntentListSchema, [{ name: ' billing ', patterns: [' invoice ', '/vat/i'] }]);
    expect(out).toEqual([{ name: 'billing', patterns: ['invoice', '/vat/i'] }]);
  });
  it.each([
    [[{ name: 'a', patterns: ['/(/'] }]],
    [[{ name: 'a', patterns: ['/x/g'] }]],
    [[{ name: 'a', patterns: [] }]],
    [[{ name: '', patterns: ['x'] }]],
    [[{ name: 'a', patterns: ['x'] }, { name: 'a', patterns: ['y'] }]],
    [Array.from({ length: 51 }, (_, i) => ({ name: `i${i}`, patterns: ['x'] }))],
    // Nested repetition: exponential on a crafted message, run on every visitor's device.
    [[{ name: 'a', patterns: ['/(a+)+$/'] }]],
    [[{ name: 'a', patterns: ['/(\\w+\\s?)*$/i'] }]],
  ])('refuses %j', (list) => {
    expect(v.safeParse(IntentListSchema, list).success).toBe(false);
  });
});
