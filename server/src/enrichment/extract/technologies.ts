import type { PageFacts } from './page-facts.js';

/** A technology a page shows, with its version when the page states one, and what proves it. */
export type TechnologyFound = {
  product: string;
  version: string | null;
  proofKind: 'attribute' | 'header' | 'html';
  proof: string;
};

const VERSION = String.raw`(\d{1,4}(?:\.\d{1,5}){0,3})`;
const v = (pattern: string) => new RegExp(pattern.replace('VERSION', VERSION), 'i');

/**
 * Versions in script and stylesheet addresses: the library's standard file name
 * (`jquery-1.4.2.min.js`), CDN paths (`/ajax/libs/jquery/1.4.2/`, `jquery@3.6.0/`), and
 * WordPress's copy of jQuery, whose `ver=` is the jQuery version.
 */
const versionedAssets: { product: string; patterns: RegExp[] }[] = [
  {
    product: 'jQuery',
    patterns: [
      v(String.raw`/jquery[-.]VERSION(?:\.slim)?(?:\.min)?\.js(?:[?#]|$)`),
      v(String.raw`/jquery/VERSION/jquery(?:\.slim)?(?:\.min)?\.js`),
      v(String.raw`/jquery@VERSION/`),
      v(String.raw`/wp-includes/js/jquery/jquery(?:\.min)?\.js\?ver=VERSION`),
    ],
  },
  {
    product: 'jQuery UI',
    patterns: [
      v(String.raw`/jquery-ui[-.]VERSION(?:\.custom)?(?:\.min)?\.(?:js|css)`),
      v(String.raw`/jqueryui/VERSION/`),
      v(String.raw`/jquery-ui@VERSION/`),
      v(String.raw`code\.jquery\.com/ui/VERSION/`),
    ],
  },
  {
    product: 'Bootstrap',
    patterns: [
      v(String.raw`/(?:twitter-)?bootstrap/VERSION/`),
      v(String.raw`/bootstrap@VERSION/`),
      v(String.raw`/bootstrap[-.]VERSION(?:\.bundle)?(?:\.min)?\.(?:css|js)`),
    ],
  },
  {
    product: 'AngularJS',
    patterns: [
      v(String.raw`/angular(?:js|\.js)/VERSION/`),
      v(String.raw`/angular@VERSION/`),
      v(String.raw`/angular[-.]VERSION(?:\.min)?\.js`),
    ],
  },
  {
    product: 'Vue.js',
    patterns: [
      v(String.raw`/vue@VERSION/`),
      v(String.raw`/vue/VERSION/vue`),
      v(String.raw`/vue[-.]VERSION(?:\.global|\.runtime)?(?:\.min|\.prod)?\.js`),
    ],
  },
  { product: 'React', patterns: [v(String.raw`/react@VERSION/`), v(String.raw`/react/VERSION/umd/`)] },
];

/** Products named in `Server` and `X-Powered-By` headers (`Apache/2.2.15`, `PHP/7.4.33`), by the name they use there. */
const headerProducts: Record<string, string> = {
  apache: 'Apache',
  nginx: 'nginx',
  'microsoft-iis': 'Microsoft IIS',
  php: 'PHP',
  openresty: 'OpenResty',
  litespeed: 'LiteSpeed',
  express: 'Express',
  'asp.net': 'ASP.NET',
  'next.js': 'Next.js',
  cloudflare: 'Cloudflare',
};
const headerToken = /([A-Za-z][\w.+-]*)(?:\/(\d{1,4}(?:\.\d{1,5}){0,3}))?/g;

/** Generators name themselves first: "WordPress 6.4.2", "Drupal 7 (https://www.drupal.org)", "Joomla! - Open Source…". */
const generatorNames: [RegExp, string][] = [
  [/^wordpress\b/i, 'WordPress'],
  [/^joomla!?/i, 'Joomla'],
  [/^drupal\b/i, 'Drupal'],
  [/^wix\.com\b/i, 'Wix'],
  [/^squarespace\b/i, 'Squarespace'],
  [/^shopify\b/i, 'Shopify'],
  [/^webflow\b/i, 'Webflow'],
];

type Fingerprint = { name: string; html?: RegExp; header?: [name: string, pattern: RegExp] };

/** Technologies recognised without a version from the page source or response headers. */
const fingerprints: Fingerprint[] = [
  { name: 'WordPress', html: /\/wp-content\/|\/wp-includes\// },
  { name: 'Wix', html: /static\.wixstatic\.com|wix-bolt/i, header: ['x-wix-request-id', /./] },
  { name: 'Shopify', html: /cdn\.shopify\.com|Shopify\.theme/i, header: ['x-shopid', /./] },
  { name: 'Squarespace', html: /static1\.squarespace\.com|<!-- This is Squarespace/i },
  { name: 'Webflow', html: /<html[^>]+data-wf-(?:page|site)|assets\.website-files\.com|webflow\.js/i },
  { name: 'Joomla', html: /\/media\/jui\/|\/components\/com_/i },
  { name: 'Drupal', html: /\/sites\/default\/files\/|drupal-settings-json/i },
  {
    name: 'Google Analytics',
    html: /google-analytics\.com\/(analytics|ga)\.js|googletagmanager\.com\/gtag\/js|\bgtag\(\s*['"]config['"]/i,
  },
  { name: 'Google Tag Manager', html: /googletagmanager\.com\/gtm\.js|GTM-[A-Z0-9]{4,}/ },
  { name: 'Meta Pixel', html: /connect\.facebook\.net\/[^"']*\/fbevents\.js|\bfbq\(\s*['"]init['"]/i },
  { name: 'jQuery', html: /jquery(?:[-.][\d.]+)?(?:\.min)?\.js|jquery\/[\d.]+\//i },
  { name: 'React', html: /data-reactroot|react(?:-dom)?(?:\.production)?(?:\.min)?\.js|__NEXT_DATA__/i },
  { name: 'Next.js', html: /__NEXT_DATA__|\/_next\/static\// },
  { name: 'Vue.js', html: /vue(?:\.global|\.runtime)?(?:\.min)?\.js|data-v-[0-9a-f]{8}|__NUXT__/i },
  { name: 'AngularJS', html: /angular(?:\.min)?\.js|ng-app=/i },
  { name: 'Angular', html: /ng-version=/i },
  { name: 'Bootstrap', html: /bootstrap(?:\.bundle)?(?:\.min)?\.(?:css|js)/i },
  { name: 'Tailwind CSS', html: /tailwind(?:css)?(?:\.min)?\.css|cdn\.tailwindcss\.com/i },
  { name: 'Cloudflare', header: ['cf-ray', /./] },
];

function fromHeaders(headers: Record<string, string>): TechnologyFound[] {
  const out: TechnologyFound[] = [];
  for (const name of ['server', 'x-powered-by']) {
    const value = headers[name];
    if (!value) continue;
    // Comments such as "(CentOS)" name the system, not a product.
    for (const m of value.replace(/\([^)]*\)/g, ' ').matchAll(headerToken)) {
      const product = headerProducts[m[1].toLowerCase()];
      if (product) out.push({ product, version: m[2] ?? null, proofKind: 'header', proof: `${name}: ${value}` });
    }
  }
  const aspNet = headers['x-aspnet-version']?.match(/^\s*(\d{1,4}(?:\.\d{1,6}){0,3})\s*$/);
  if (aspNet)
    out.push({ product: 'ASP.NET', version: aspNet[1], proofKind: 'header', proof: `x-aspnet-version: ${headers['x-aspnet-version']}` });
  const generator = headers['x-generator'] && readGenerator(headers['x-generator']);
  if (generator) out.push({ ...generator, proofKind: 'header', proof: `x-generator: ${headers['x-generator']}` });
  return out;
}

/** A generator's product and version; unknown generators keep the name they give (first 40 characters). */
function readGenerator(content: string): { product: string; version: string | null } | null {
  const text = content
    .split(';')[0]
    .replace(/^powered by\s+/i, '')
    .trim();
  const versioned = text.match(/^(.+?)\s+v?(\d{1,4}(?:\.\d{1,5}){0,3})\b/);
  const name = (versioned?.[1] ?? text.split(/\s+-\s+|\s+\(/)[0]).trim();
  if (!name) return null;
  const known = generatorNames.find(([pattern]) => pattern.test(name))?.[1];
  return { product: known ?? name.slice(0, 40), version: versioned?.[2] ?? null };
}

/**
 * Technologies of one page, one entry per product and version: versions from response headers,
 * generator tags and script or stylesheet addresses; products without a version from known
 * fingerprints of the page source. The first proof of each is kept.
 */
export function findTechnologies(facts: PageFacts, html: string, headers: Record<string, string>, pageUrl: string): TechnologyFound[] {
  const found: TechnologyFound[] = fromHeaders(headers);
  for (const generator of facts.generators) {
    const read = readGenerator(generator.value);
    if (read) found.push({ ...read, proofKind: 'attribute', proof: `<meta name="generator" content="${generator.value}">` });
  }
  for (const asset of facts.assets) {
    let address: string;
    try {
      address = new URL(asset.value, pageUrl).href;
    } catch {
      continue;
    }
    for (const { product, patterns } of versionedAssets) {
      const version = patterns.map((p) => address.match(p)?.[1]).find(Boolean);
      if (version) found.push({ product, version, proofKind: 'attribute', proof: asset.tag });
    }
  }
  const versioned = new Set(found.filter((t) => t.version).map((t) => t.product));
  for (const fp of fingerprints) {
    const inHtml = fp.html ? html.match(fp.html) : null;
    const header = fp.header && headers[fp.header[0]];
    if (inHtml) found.push({ product: fp.name, version: null, proofKind: 'html', proof: inHtml[0] });
    else if (header !== undefined && header !== null && fp.header![1].test(header))
      found.push({ product: fp.name, version: null, proofKind: 'header', proof: `${fp.header![0]}: ${header}` });
  }
  const unique = new Map<string, TechnologyFound>();
  for (const t of found) {
    // A product seen with a version needs no version-less entry.
    if (!t.version && versioned.has(t.product)) continue;
    const key = `${t.product}\u0000${t.version ?? ''}`;
    if (!unique.has(key)) unique.set(key, t);
  }
  return [...unique.values()];
}
