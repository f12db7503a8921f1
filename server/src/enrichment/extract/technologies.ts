type Fingerprint = { name: string; html?: RegExp; header?: [name: string, pattern: RegExp] };

/** Technologies recognised from the page source or response headers; the first matching pattern names the proof. */
export const fingerprints: Fingerprint[] = [
  { name: 'WordPress', html: /\/wp-content\/|\/wp-includes\/|<meta[^>]+generator[^>]+WordPress/i },
  { name: 'Wix', html: /static\.wixstatic\.com|wix-bolt|<meta[^>]+generator[^>]+Wix\.com/i, header: ['x-wix-request-id', /./] },
  { name: 'Shopify', html: /cdn\.shopify\.com|Shopify\.theme/i, header: ['x-shopid', /./] },
  { name: 'Squarespace', html: /static1\.squarespace\.com|<!-- This is Squarespace/i },
  { name: 'Webflow', html: /<html[^>]+data-wf-(?:page|site)|assets\.website-files\.com|webflow\.js/i },
  { name: 'Joomla', html: /<meta[^>]+generator[^>]+Joomla|\/media\/jui\/|\/components\/com_/i },
  {
    name: 'Drupal',
    html: /<meta[^>]+generator[^>]+Drupal|\/sites\/default\/files\/|drupal-settings-json/i,
    header: ['x-generator', /drupal/i],
  },
  {
    name: 'Google Analytics',
    html: /google-analytics\.com\/(analytics|ga)\.js|googletagmanager\.com\/gtag\/js|\bgtag\(\s*['"]config['"]/i,
  },
  { name: 'Google Tag Manager', html: /googletagmanager\.com\/gtm\.js|GTM-[A-Z0-9]{4,}/ },
  { name: 'Meta Pixel', html: /connect\.facebook\.net\/[^"']*\/fbevents\.js|\bfbq\(\s*['"]init['"]/i },
  { name: 'jQuery', html: /jquery(?:\.min)?(?:-[\d.]+)?\.js|jquery\/[\d.]+\//i },
  { name: 'React', html: /data-reactroot|react(?:-dom)?(?:\.production)?(?:\.min)?\.js|__NEXT_DATA__/i },
  { name: 'Next.js', html: /__NEXT_DATA__|\/_next\/static\//, header: ['x-powered-by', /next\.js/i] },
  { name: 'Vue', html: /vue(?:\.global|\.runtime)?(?:\.min)?\.js|data-v-[0-9a-f]{8}|__NUXT__/i },
  { name: 'Angular', html: /ng-version=|angular(?:\.min)?\.js|ng-app=/i },
  { name: 'Bootstrap', html: /bootstrap(?:\.bundle)?(?:\.min)?\.(?:css|js)/i },
  { name: 'Tailwind CSS', html: /tailwind(?:css)?(?:\.min)?\.css|cdn\.tailwindcss\.com/i },
  { name: 'Cloudflare', header: ['server', /cloudflare/i] },
  { name: 'Cloudflare', header: ['cf-ray', /./] },
  { name: 'PHP', header: ['x-powered-by', /php/i] },
  { name: 'ASP.NET', header: ['x-powered-by', /asp\.net/i] },
  { name: 'Nginx', header: ['server', /nginx/i] },
  { name: 'Apache', header: ['server', /apache/i] },
];

export function findTechnologies(html: string, headers: Record<string, string>): { name: string; proof: string }[] {
  const found = new Map<string, string>();
  for (const fp of fingerprints) {
    if (found.has(fp.name)) continue;
    const inHtml = fp.html ? html.match(fp.html) : null;
    if (inHtml) {
      found.set(fp.name, inHtml[0]);
      continue;
    }
    if (fp.header) {
      const value = headers[fp.header[0]];
      if (value !== undefined && fp.header[1].test(value)) found.set(fp.name, `${fp.header[0]}: ${value}`);
    }
  }
  return [...found].map(([name, proof]) => ({ name, proof }));
}
