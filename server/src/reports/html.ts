import { createHash } from 'node:crypto';
import type { Run } from './runs.js';

/** The stored document of a report (job.ts), as the share page reads it. */
type Doc = {
  template: 'lead' | 'list';
  lang: string;
  dir: string;
  title: string;
  labels: Record<string, string>;
  /** The ten digits numbers are written with (Arabic-Indic when the tenant chose them for Arabic). */
  digits?: string[];
  brand: { name: Run[]; color: string; contact: Run[] | null };
  subject: { name: Run[]; facts: Run[][] };
  date: Run[];
  footer: Run[];
  osm: boolean;
  logo: { format: 'png' | 'jpg' | 'svg'; base64: string } | null;
  summary?: { score: number; grade: string; top: Run[][] };
  comparisonIntro?: Run[];
  comparison?: { area: string; text: Run[]; hasData: boolean }[];
  findings?: { area: string; items: { text: Run[]; url: string | null; captured: Run[]; weight: number }[] }[];
  recommendations?: { title: string; text: Run[] }[];
  cta?: { text: Run[]; contact: Run[] | null; whatsappUrl: string | null };
  distribution?: { label: string; count: number }[];
  leads?: { rank: number; name: Run[]; city: Run[] | null; score: number; findings: Run[][] }[];
};

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const rich = (runs: Run[] | null | undefined) =>
  (runs ?? []).map((r) => (r.ltr ? `<bdi dir="ltr">${escape(r.t)}</bdi>` : escape(r.t))).join('');
/** Only web links become links: a stored URL is shown as text otherwise. */
const link = (url: string) =>
  /^https?:\/\//i.test(url) ? `<a href="${escape(url)}" rel="noopener noreferrer nofollow">${escape(url)}</a>` : escape(url);
/** A number written with the report's digits, as the PDF writes it. */
const num = (d: Doc, n: number | string) => String(n).replace(/\d/g, (c) => d.digits?.[Number(c)] ?? c);
const mime = { png: 'image/png', jpg: 'image/jpeg', svg: 'image/svg+xml' } as const;

const css = `body{font-family:system-ui,"Noto Sans","Amiri",sans-serif;margin:0;background:#f6f7f9;color:#1d2125;line-height:1.55}
main{max-width:820px;margin:0 auto;background:#fff;padding:32px 28px}header img{max-height:64px}
h1{font-size:1.8rem;margin:.4em 0}h2{color:var(--brand);margin-top:1.6em}h3{margin-bottom:.3em}
.muted{color:#5c636a;font-size:.9rem}.grade{display:inline-block;background:var(--brand);color:#fff;border-radius:8px;padding:8px 16px;font-size:1.6rem;font-weight:700}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #dee2e6;padding:6px 8px;text-align:start;vertical-align:top}
.finding{margin:.6em 0}.cta{border:2px solid var(--brand);border-radius:8px;padding:16px;margin-top:2em}
a{color:var(--brand);overflow-wrap:anywhere}.download{display:inline-block;margin:12px 0;padding:8px 14px;border-radius:6px;background:var(--brand);color:#fff;text-decoration:none}`;

/** The CSP of a share page: its one stylesheet by hash, images only as data, nothing else at all. */
const cspFor = (style: string) =>
  `default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

function leadSections(d: Doc): string {
  const L = d.labels;
  return `<h2>${escape(L.summary)}</h2>
<p><span class="grade">${escape(d.summary!.grade)}</span> ${escape(L.score)}: ${num(d, d.summary!.score)}/${num(d, 100)}</p>
<h3>${escape(L.topOpportunities)}</h3><ul>${d.summary!.top.map((t) => `<li>${rich(t)}</li>`).join('') || `<li>${escape(L.noOpportunities)}</li>`}</ul>
<h2>${escape(L.comparison)}</h2><p class="muted">${rich(d.comparisonIntro)}</p>
<table>${d.comparison!.map((c) => `<tr><th>${escape(c.area)}</th><td${c.hasData ? '' : ' class="muted"'}>${rich(c.text)}</td></tr>`).join('')}</table>
<h2>${escape(L.findings)}</h2>${d.findings!.length ? '' : `<p>${escape(L.noFindings)}</p>`}
${d
  .findings!.map(
    (g) =>
      `<h3>${escape(g.area)}</h3>${g.items
        .map(
          (i) =>
            `<div class="finding">${rich(i.text)}<div class="muted">${i.url ? `${escape(L.source)}: ${link(i.url)}<br>` : ''}${escape(L.captured)}: ${rich(i.captured)} · ${escape(L.weight)}: ${num(d, i.weight)}</div></div>`,
        )
        .join('')}`,
  )
  .join('')}
<h2>${escape(L.recommendations)}</h2>${d.recommendations!.map((r) => `<h3>${escape(r.title)}</h3><p>${rich(r.text)}</p>`).join('') || `<p>${escape(L.noRecommendations)}</p>`}
<div class="cta"><h3>${escape(L.nextStep)}</h3><p>${rich(d.cta!.text)}</p>${d.cta!.contact ? `<p>${rich(d.cta!.contact)}</p>` : ''}${d.cta!.whatsappUrl ? `<p>${link(d.cta!.whatsappUrl).replace(/>[^<]*<\/a>$/, `>${escape(L.whatsapp)}</a>`)}</p>` : ''}</div>`;
}

function listSections(d: Doc): string {
  const L = d.labels;
  return `<h2>${escape(L.distribution)}</h2><table>${d.distribution!.map((b) => `<tr><th>${escape(num(d, b.label))}</th><td>${num(d, b.count)}</td></tr>`).join('')}</table>
<h2>${escape(L.ranking)}</h2><table><tr><th>${escape(L.rank)}</th><th>${escape(L.business)}</th><th>${escape(L.score)}</th><th>${escape(L.topFindings)}</th></tr>
${d.leads!.map((l) => `<tr><td>${num(d, l.rank)}</td><td>${rich(l.name)}${l.city ? `<div class="muted">${rich(l.city)}</div>` : ''}</td><td>${num(d, l.score)}</td><td>${l.findings.map(rich).join('<br>')}</td></tr>`).join('')}</table>`;
}

/** The share page: the report as HTML with a link to its PDF, and nothing else of the tenant; with the CSP that lets its style in. */
export function sharePage(document: Record<string, unknown>, pdfHref: string): { html: string; csp: string } {
  const d = document as Doc;
  const L = d.labels;
  const color = /^#[0-9a-f]{6}$/i.test(d.brand.color) ? d.brand.color : '#1c7ed6';
  const style = `${css}:root{--brand:${color}}`;
  const html = `<!doctype html>
<html lang="${escape(d.lang)}" dir="${d.dir === 'rtl' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow">
<title>${escape(d.title)}</title><style>${style}</style></head>
<body><main>
<header>${d.logo ? `<img alt="" src="data:${mime[d.logo.format]};base64,${d.logo.base64}">` : ''}<div><strong>${rich(d.brand.name)}</strong></div></header>
<p class="muted">${escape(L.title)}</p><h1>${rich(d.subject.name)}</h1>${d.subject.facts.map((f) => `<div>${rich(f)}</div>`).join('')}
<p class="muted">${escape(L.date)}: ${rich(d.date)}</p>
<a class="download" href="${escape(pdfHref)}" download>PDF</a>
${d.template === 'list' ? listSections(d) : leadSections(d)}
<footer class="muted"><p>${rich(d.footer)}${d.osm ? ` · ${escape(L.osm)}` : ''}</p></footer>
</main></body></html>`;
  return { html, csp: cspFor(style) };
}
