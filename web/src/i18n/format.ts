import { isPluralElement, isSelectElement, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
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
  try {
    const message = compile(template, intl);
    const choosers = dir === 'rtl' ? selectArguments(message) : new Set<string>();
    const values: Params = {};
    for (const [name, v] of Object.entries(params ?? {}))
      values[name] = typeof v === 'string' && dir === 'rtl' && !choosers.has(name) ? `\u2068${v}\u2069` : v;
    return String(message.format(values));
  } catch {
    // A value the message needs is missing: show the text rather than break the page.
    return template;
  }
}

const choosersOf = new WeakMap<IntlMessageFormat, Set<string>>();

/** The arguments a `select` chooses its branch by: they are matched, not shown, so they are not isolated. */
function selectArguments(message: IntlMessageFormat): Set<string> {
  const known = choosersOf.get(message);
  if (known) return known;
  const names = new Set<string>();
  const visit = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (isSelectElement(el)) names.add(el.value);
      if (isSelectElement(el) || isPluralElement(el)) for (const option of Object.values(el.options)) visit(option.value);
    }
  };
  visit(message.getAst());
  choosersOf.set(message, names);
  return names;
}
