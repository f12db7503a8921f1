import type { FieldRule, ImportUpload } from '@optarget/shared';

export type Encoding = ImportUpload['encoding'];
export type Delimiter = ImportUpload['delimiter'];

/** Bytes read before deciding how the file is encoded; enough for many rows of any real export. */
export const SAMPLE_BYTES = 64 * 1024;

/** A file refused as unreadable, with the rule the web words in the user's language. */
export class UnreadableFileError extends Error {
  constructor(
    message: string,
    readonly rule: FieldRule,
  ) {
    super(message);
  }
}

export const NOT_TEXT = 'This is not a CSV text file (it contains binary data). Export the sheet as CSV and upload that file.';
export const UNKNOWN_ENCODING =
  'The text encoding of this file could not be recognised (it is neither UTF-8, UTF-16 nor Windows-1256 Arabic). Save it as "CSV UTF-8" and upload it again.';

const BOMS: [Encoding, number[]][] = [
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

/**
 * Decides the encoding from the first bytes: a byte order mark wins; otherwise valid UTF-8; otherwise
 * Windows-1256 (what Excel on Arabic Windows writes) when the text then reads like Arabic or Latin
 * text. Binary files and text in other encodings are refused with a message the user can act on.
 */
export function detectEncoding(sample: Buffer): { encoding: Encoding; bomLength: number } {
  for (const [encoding, bom] of BOMS) {
    if (bom.every((b, i) => sample[i] === b)) {
      if (encoding !== 'utf-8') assertText(new TextDecoder(encoding).decode(sample.subarray(bom.length)));
      else assertNoNul(sample);
      return { encoding, bomLength: bom.length };
    }
  }
  const utf16 = utf16WithoutBom(sample);
  if (utf16) {
    assertText(new TextDecoder(utf16).decode(sample));
    return { encoding: utf16, bomLength: 0 };
  }
  assertNoNul(sample);
  try {
    assertText(new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true }));
    return { encoding: 'utf-8', bomLength: 0 };
  } catch (err) {
    if (err instanceof UnreadableFileError) throw err;
  }
  const text = new TextDecoder('windows-1256').decode(sample);
  assertText(text);
  if (!readsLikeWindows1256(text)) throw new UnreadableFileError(UNKNOWN_ENCODING, 'fileEncoding');
  return { encoding: 'windows-1256', bomLength: 0 };
}

/** A NUL byte never appears in single-byte or UTF-8 text; it marks a binary file (or unmarked UTF-16, checked before). */
export function assertNoNul(bytes: Buffer) {
  if (bytes.includes(0)) throw new UnreadableFileError(NOT_TEXT, 'fileNotText');
}

/** Text with NULs or more than a few control characters (other than tab, CR, LF, form feed) is not a CSV export. */
function assertText(text: string) {
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) throw new UnreadableFileError(NOT_TEXT, 'fileNotText');
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f || c === 0xfffd) control++;
  }
  if (control > Math.max(2, text.length * 0.01)) throw new UnreadableFileError(NOT_TEXT, 'fileNotText');
}

/** UTF-16 without a byte order mark shows as ASCII letters with a zero byte beside each one. */
function utf16WithoutBom(sample: Buffer): Encoding | null {
  const pairs = Math.floor(Math.min(sample.length, 4096) / 2);
  if (pairs < 2) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) evenZero++;
    if (sample[2 * i + 1] === 0) oddZero++;
  }
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * Windows-1256 maps every byte to some character, so decoding never fails; the question is whether
 * the result is sensible. Real exports put Arabic letters (and the few French letters of the code
 * page) outside ASCII; other encodings read this way give mostly symbols and isolated oddities.
 */
function readsLikeWindows1256(text: string): boolean {
  let nonAscii = 0;
  let plausible = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) continue;
    nonAscii++;
    if ((c >= 0x0600 && c <= 0x06ff) || 'àâçèéêëîïôùûüœŒ«»–—‘’“”…\u00a0'.includes(ch)) plausible++;
  }
  return nonAscii > 0 && plausible / nonAscii >= 0.9;
}

const DELIMITERS: Delimiter[] = [',', ';', '\t', '|'];

/**
 * The delimiter that splits the first lines into the same number of cells most consistently
 * (delimiters inside quoted cells do not count). A file with one column has none: comma.
 */
export function detectDelimiter(sampleText: string, complete: boolean): Delimiter {
  const lines = firstLogicalLines(sampleText, 30, complete);
  let best: { delimiter: Delimiter; share: number; cells: number } = { delimiter: ',', share: 0, cells: 0 };
  for (const delimiter of DELIMITERS) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const frequency = new Map<number, number>();
    for (const n of counts) if (n > 0) frequency.set(n, (frequency.get(n) ?? 0) + 1);
    for (const [n, times] of frequency) {
      const share = times / lines.length;
      if (share > best.share || (share === best.share && n > best.cells)) best = { delimiter, share, cells: n };
    }
  }
  return best.delimiter;
}

/** Lines of the sample, joining line breaks inside quoted cells; an unfinished last line is dropped. */
function firstLogicalLines(text: string, max: number, complete: boolean): string[] {
  const lines: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length && lines.length < max; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) {
      if (i > start) lines.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (complete && lines.length < max && start < text.length) lines.push(text.slice(start));
  return lines.filter((l) => l.trim() !== '');
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let n = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === delimiter) n++;
  }
  return n;
}
