// With data-capture-text="on", message text may leave the device — but never the obvious
// personal data in it: e-mail addresses, phone numbers, payment card numbers and IBANs are
// replaced on the device before anything is stored or sent.

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// IBAN: two letters, two check digits, 11–30 more characters, spaces allowed in groups of four.
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/gi;
// 13–19 digits with optional single spaces or dashes between groups.
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
// Phone numbers: an optional +country code, then 7–15 digits with spaces, dots, dashes or brackets.
const PHONE = /(?<![\w@])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d(?:[\s.-]?\d){6,14}(?!\w)/g;

const DATE = /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{4}$/;

export function redact(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(IBAN, (match) => (validIban(match) ? '[iban]' : match))
    .replace(CARD, (match) => (luhn(match) ? '[card]' : match))
    .replace(PHONE, (match) => (DATE.test(match.trim()) ? match : '[phone]'));
}

function digits(text: string): string {
  return text.replace(/\D/g, '');
}

/** Card numbers pass the Luhn check; order ids and timestamps of the same length mostly don't. */
export function luhn(candidate: string): boolean {
  const d = digits(candidate);
  if (d.length < 13 || d.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let n = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

/** ISO 13616 mod-97 check, so words that merely look like an IBAN stay. */
export function validIban(candidate: string): boolean {
  const compact = candidate.replace(/\s/g, '').toUpperCase();
  if (compact.length < 15 || compact.length > 34) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}
