/** What the crawler reads: HTML pages only, decoded with the charset they declare. */

export const isHtmlContentType = (contentType: string | null) =>
  !contentType || /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType);

const binarySignatures = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x25, 0x50, 0x44, 0x46], // PDF
  [0x50, 0x4b, 0x03, 0x04], // ZIP and office documents
  [0x1f, 0x8b], // gzip
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0x00, 0x00, 0x01, 0x00], // ICO
];

/**
 * True for bytes that are not text, whatever the Content-Type says: a known file signature or
 * control bytes that HTML never contains (NUL, most C0 codes) in the first kilobyte.
 */
export function looksBinary(body: Uint8Array): boolean {
  if (binarySignatures.some((sig) => sig.every((b, i) => body[i] === b))) return true;
  const head = body.subarray(0, 1024);
  // UTF-16 pages start with a byte-order mark and contain NULs by design.
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return head.length > 0 && control / head.length > 0.05;
}

function supportedLabel(label: string | undefined | null): string | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim().toLowerCase()).encoding;
  } catch {
    return null;
  }
}

/** The page's charset: byte-order mark, then the Content-Type header, then a <meta> in the first 2 KB, then UTF-8. */
export function detectCharset(body: Uint8Array, contentType: string | null): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  const fromHeader = supportedLabel(contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i)?.[1]);
  if (fromHeader) return fromHeader;
  const head = Buffer.from(body.subarray(0, 2048)).toString('latin1');
  const fromMeta =
    head.match(/<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i)?.[1] ??
    head.match(/<meta[^>]+content\s*=\s*["'][^"']*charset=([\w.:-]+)/i)?.[1];
  return supportedLabel(fromMeta) ?? 'utf-8';
}

export function decodeHtml(body: Uint8Array, contentType: string | null): { html: string; charset: string } {
  const charset = detectCharset(body, contentType);
  return { html: new TextDecoder(charset).decode(body), charset };
}
