import * as cheerio from 'cheerio';

/** Pages where businesses put contact details, in the languages of our users. */
const interesting =
  /contact|kontakt|contacto|contatti|about|a-propos|qui-sommes|uber-uns|ueber-uns|impressum|imprint|legal|team|staff|location|find-us|اتصل|تواصل|من[\s-]*نحن|عن[\s-]*(الشركة|العيادة|المركز|نا)|فريق/i;
const skippedFiles = /\.(pdf|jpe?g|png|gif|webp|svg|zip|docx?|xlsx?|pptx?|mp4|mp3|avi|mov|css|js|ico|xml|json)$/i;

const siteOf = (host: string) => host.toLowerCase().replace(/^www\./, '');

/** Same-site links whose address or text looks like a contact, about, imprint or team page. */
export function contactLikeLinks(html: string, pageUrl: string): string[] {
  const $ = cheerio.load(html);
  const base = new URL($('base[href]').attr('href') ?? pageUrl, pageUrl);
  const site = siteOf(new URL(pageUrl).hostname);
  const found: string[] = [];
  $('a[href]').each((_, el) => {
    const href = $(el).attr('href') ?? '';
    let url: URL;
    try {
      url = new URL(href, base);
    } catch {
      return;
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || siteOf(url.hostname) !== site) return;
    if (skippedFiles.test(url.pathname)) return;
    const text = `${decodeSafe(url.pathname).replace(/[-_/]/g, ' ')} ${$(el).text()} ${$(el).attr('title') ?? ''}`;
    if (!interesting.test(text)) return;
    url.hash = '';
    if (!found.includes(url.href)) found.push(url.href);
  });
  return found;
}

function decodeSafe(path: string) {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
