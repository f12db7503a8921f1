import { IntlMessageFormat } from 'intl-messageformat';

/** Values of a message's arguments: numbers stay numbers so `plural` and `#` can choose and format them. */
export type Params = Record<string, string | number>;

/** Parsed messages by locale and text: parsing costs more than formatting, and pages format the same texts on every render. */
const parsed = new Map<string, IntlMessageFormat>();

function compile(template: string, intl: string): IntlMessageFormat {
  const key = `${intl}\u0000${template}`;
  let message = parsed.get(key);
  if (!message) {
    // Tags are not markup in these texts: `<` and `>` are written as they are.
    message = new IntlMessageFormat(template, intl, undefined, { ignoreTag: true });
    parsed.set(key, message);
  }
  return message;
}

/**
 * Formats an ICU MessageFormat text (`{name}`, `{count, plural, one {# lead} other {# leads}}`,
 * `{kind, select, …}`). In right-to-left text each string value is wrapped in a first-strong isolate
 * (U+2068 … U+2069), so a Latin name, an email address or a range such as 75-100 keeps its own order
 * inside the Arabic sentence.
 */
export function formatMessage(template: string, params: Params | undefined, intl: string, dir: 'ltr' | 'rtl'): string {
  const values: Params = {};
  for (const [name, v] of Object.entries(params ?? {})) values[name] = typeof v === 'string' && dir === 'rtl' ? `\u2068${v}\u2069` : v;
  try {
    return String(compile(template, intl).format(values));
  } catch {
    // A value the message needs is missing: show the text rather than break the page.
    return template;
  }
}
