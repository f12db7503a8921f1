import * as cheerio from 'cheerio';

export type PageFacts = {
  title: string | null;
  metaDescription: string | null;
  viewport: string | null;
  /** Visible text, whitespace collapsed. */
  text: string;
  hrefs: string[];
  /** The newest year in a copyright notice, with the notice. */
  copyright: { year: number; notice: string } | null;
};

const copyrightPattern = /(?:©|&copy;|\(c\)|copyright|حقوق)[^0-9\n]{0,40}((?:19|20)\d{2})(?:\s*[-–—]\s*((?:19|20)\d{2}))?/gi;

export function readPageFacts(html: string): PageFacts {
  const $ = cheerio.load(html);
  const clean = (v: string | undefined) => (v ?? '').replace(/\s+/g, ' ').trim() || null;
  const hrefs = $('a[href]')
    .map((_, el) => $(el).attr('href') ?? '')
    .get()
    .filter(Boolean);
  $('script, style, noscript, template').remove();
  const text = $('body').text().replace(/\s+/g, ' ').trim() || $.root().text().replace(/\s+/g, ' ').trim();
  let copyright: PageFacts['copyright'] = null;
  for (const m of text.matchAll(copyrightPattern)) {
    const year = Math.max(Number(m[1]), Number(m[2] ?? 0));
    if (!copyright || year > copyright.year) copyright = { year, notice: m[0] };
  }
  return {
    title: clean($('head > title').first().text()) ?? clean($('title').first().text()),
    metaDescription: clean($('meta[name="description" i]').attr('content')),
    viewport: clean($('meta[name="viewport" i]').attr('content')),
    text,
    hrefs,
    copyright,
  };
}
