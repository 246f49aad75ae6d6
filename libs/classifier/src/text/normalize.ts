/**
 * Text normalization for the classifier: markup out, one spelling of е/ё, lower case, and the
 * things that carry no topic (links, addresses, phone numbers, numbers) folded into placeholder
 * tokens, so "звоню 8 (863) 123-45-67" and "звоню +7 999 000 11 22" look the same to the model.
 */
export const PLACEHOLDERS = {
  url: '_url_',
  email: '_email_',
  phone: '_phone_',
  number: '_num_',
} as const;

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  laquo: '«',
  raquo: '»',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  shy: '',
  bdquo: '„',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  numero: '№',
};

const TAG = /<\/?[a-z!][^>]*>/gi;
const ENTITY = /&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi;
// A link ends before trailing punctuation: "см. https://x.ru/a, там" keeps its comma.
const URL =
  /\b(?:https?:\/\/|www\.)[^\s<>"«»]*[^\s<>"«».,;:!?)]|(?<![\p{L}\p{N}@.-])[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.(?:ru|рф|su|com|org|net|gov)(?![\p{L}\p{N}])(?:\/[^\s<>"«»]*[^\s<>"«».,;:!?)])?/giu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// Russian numbers: +7 / 8, optional brackets, hyphens or spaces between groups; short city numbers too.
const PHONE = /(?:\+7|\b8)[\s\u00a0-]*\(?\d{3,5}\)?[\s\u00a0-]*\d{1,3}[\s\u00a0-]*\d{2}[\s\u00a0-]*\d{2}\b|\b\d{2,3}-\d{2}-\d{2}\b/g;
const NUMBER = /\d+(?:[.,]\d+)*/g;
const WHITESPACE = /\s+/g;

export function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? ' ' + String.fromCodePoint(code) + ' ' : ' ';
    }
    const named = NAMED_ENTITIES[body.toLowerCase()];
    return named === undefined ? whole : named === ' ' || named === '' ? ' ' : named;
  });
}

/** Markup out and entities decoded, the original casing kept (proper-noun features need it). */
export function stripMarkup(text: string): string {
  return decodeEntities(text.replace(TAG, ' '));
}

// Cheap tests that let most texts skip the costly patterns: no "@", no e-mail; no scheme, "www"
// or known top-level domain, no link; no digit, no phone or number.
const MAY_HAVE_URL = /https?:|www\.|\.(?:ru|рф|su|com|org|net|gov)/i;
const DIGIT = /\d/;

export function normalizeText(text: string): string {
  let s = text.includes('<') || text.includes('&') ? stripMarkup(text) : text;
  s = s.toLowerCase();
  if (s.includes('ё')) s = s.replace(/ё/g, 'е');
  if (s.includes('@')) s = s.replace(EMAIL, ` ${PLACEHOLDERS.email} `);
  if (MAY_HAVE_URL.test(s)) s = s.replace(URL, ` ${PLACEHOLDERS.url} `);
  if (DIGIT.test(s)) s = s.replace(PHONE, ` ${PLACEHOLDERS.phone} `).replace(NUMBER, ` ${PLACEHOLDERS.number} `);
  return s.replace(WHITESPACE, ' ').trim();
}
