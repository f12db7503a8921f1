/** A proof is at most this long: enough to read the fact in its context. */
export const SNIPPET_MAX = 300;

export const clip = (text: string) => (text.length > SNIPPET_MAX ? `${text.slice(0, SNIPPET_MAX - 1)}…` : text);

/** Up to 300 characters of `text` around `text.slice(start, end)`. */
export function around(text: string, start: number, end: number): string {
  const from = Math.max(0, start - 120);
  const to = Math.max(end, from + SNIPPET_MAX - 2);
  return clip(`${from > 0 ? '…' : ''}${text.slice(from, to).trim()}${to < text.length ? '…' : ''}`);
}
