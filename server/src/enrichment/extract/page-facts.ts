import * as cheerio from 'cheerio';

/** An element attribute as it was read, with the opening tag it was read from (the proof). */
export type AttributeRead = { value: string; tag: string };

export type PageFacts = {
  title: string | null;
  metaDescription: string | null;
  viewport: string | null;
  /**
   * Visible text, whitespace collapsed, with a space at every element boundary: text of two
   * elements is never glued into one word (an e-mail address is found only as it appears).
   */
  text: string;
  /** Links, in page order: href, the `<a href="…">` it came from, and the link's text. */
  links: (AttributeRead & { text: string })[];
  /** `src` of scripts and `href` of stylesheets, in page order. */
  assets: AttributeRead[];
  /** Contents of `<meta name="generator">`. */
  generators: AttributeRead[];
  /** Values of `data-cfemail` (Cloudflare's e-mail protection). */
  cfEmails: AttributeRead[];
  /** `lang` and `dir` of the <html> element. */
  lang: AttributeRead | null;
  dir: AttributeRead | null;
  /** Alternate versions of the page by language (`<link rel="alternate" hreflang>` and `<a hreflang>`). */
  alternates: (AttributeRead & { hreflang: string })[];
  /** The start of the page's <head> (or of the page), whitespace collapsed: what was searched for a missing tag. */
  headExcerpt: string;
  /** The newest year in a copyright notice, with the notice. */
  copyright: { year: number; notice: string } | null;
};

const copyrightPattern = /(?:©|&copy;|\(c\)|copyright|حقوق)[^0-9\n]{0,40}((?:19|20)\d{2})(?:\s*[-–—]\s*((?:19|20)\d{2}))?/gi;
const hiddenElements = new Set(['script', 'style', 'noscript', 'template']);
const HEAD_EXCERPT = 300;

type DomNode = { type: string; name?: string; data?: string; children?: DomNode[] };

/** Text nodes in document order, joined by spaces, so element boundaries stay word boundaries. */
function visibleText(root: DomNode): string {
  const parts: string[] = [];
  const stack: DomNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'text') parts.push(node.data ?? '');
    else if (node.children && !(node.name && hiddenElements.has(node.name))) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
  }
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

/** `<tag name="value">`, the part of the element that was read. */
const openingTag = (tag: string, attribute: string, value: string) => `<${tag} ${attribute}="${value.replace(/"/g, '&quot;')}">`;

export function readPageFacts(html: string): PageFacts {
  const $ = cheerio.load(html);
  const clean = (v: string | undefined) => (v ?? '').replace(/\s+/g, ' ').trim() || null;
  const read = (selector: string, attribute: string) =>
    $(selector)
      .toArray()
      .flatMap((el) => {
        const value = $(el).attr(attribute)?.trim();
        return value ? [{ value, tag: openingTag((el as { name?: string }).name ?? '', attribute, value) }] : [];
      });
  const htmlAttribute = (name: string): AttributeRead | null => {
    const value = $('html').attr(name)?.trim();
    return value ? { value, tag: openingTag('html', name, value) } : null;
  };

  const body = $('body').get(0) as unknown as DomNode | undefined;
  const text = visibleText(body ?? ($.root().get(0) as unknown as DomNode));
  let copyright: PageFacts['copyright'] = null;
  for (const m of text.matchAll(copyrightPattern)) {
    const year = Math.max(Number(m[1]), Number(m[2] ?? 0));
    if (!copyright || year > copyright.year) copyright = { year, notice: m[0] };
  }
  const head = $('head').html() ?? html;
  return {
    title: clean($('head > title').first().text()) ?? clean($('title').first().text()),
    metaDescription: clean($('meta[name="description" i]').attr('content')),
    viewport: clean($('meta[name="viewport" i]').attr('content')),
    text,
    links: $('a[href]')
      .toArray()
      .flatMap((el) => {
        const value = $(el).attr('href')?.trim();
        return value ? [{ value, tag: openingTag('a', 'href', value), text: clean($(el).text()) ?? '' }] : [];
      }),
    assets: [...read('script[src]', 'src'), ...read('link[rel~="stylesheet" i][href]', 'href')],
    generators: read('meta[name="generator" i][content]', 'content'),
    cfEmails: read('[data-cfemail]', 'data-cfemail'),
    lang: htmlAttribute('lang'),
    dir: htmlAttribute('dir'),
    alternates: $('link[rel~="alternate" i][hreflang][href], a[hreflang][href]')
      .toArray()
      .map((el) => {
        const hreflang = ($(el).attr('hreflang') ?? '').trim();
        const value = ($(el).attr('href') ?? '').trim();
        return { hreflang, value, tag: `<${(el as { name?: string }).name} hreflang="${hreflang}" href="${value}">` };
      }),
    headExcerpt: head.replace(/\s+/g, ' ').trim().slice(0, HEAD_EXCERPT),
    copyright,
  };
}
