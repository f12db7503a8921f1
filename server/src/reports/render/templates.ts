/**
 * The typst templates of reports. They hold no data: each reads its document from
 * `sys.inputs.data` (JSON), so a business named `#import "x"` or `]` prints as text. Text that
 * may mix directions arrives as runs; left-to-right runs (phones, URLs, numbers) are set as
 * `text(dir: ltr)`, which keeps them in order inside an Arabic sentence.
 */
const preamble = String.raw`
#let d = json(bytes(sys.inputs.data))
#let L = d.labels
#let brand = rgb(d.brand.color)
#let soft = brand.lighten(88%)
#let rich(runs) = if runs == none { [] } else { runs.map(r => if r.at("ltr", default: false) { text(dir: ltr, r.t) } else { r.t }).join() }
#let num(n) = str(n).clusters().map(c => if "0123456789".contains(c) { d.digits.at(int(c)) } else { c }).join()
#set document(title: d.title, author: d.brand.plain)
#set text(font: ("Noto Sans", "Amiri"), size: 10.5pt, lang: d.lang, dir: if d.dir == "rtl" { rtl } else { ltr })
#set par(justify: false, leading: 0.75em)
#set page(paper: "a4", margin: (x: 2cm, top: 2cm, bottom: 2.4cm), footer: context [
  #set text(size: 8pt, fill: luma(100))
  #rich(d.footer)
  #if d.osm [ · #L.osm ]
  #h(1fr)
  #L.page #num(counter(page).get().first()) / #num(counter(page).final().first())
])
#show heading.where(level: 1): it => block(above: 1.4em, below: 0.8em, text(size: 16pt, weight: "bold", fill: brand, it.body))
#show heading.where(level: 2): it => block(above: 1.1em, below: 0.6em, text(size: 12pt, weight: "bold", it.body))
#show link: set text(fill: brand)

#let cover(title, subtitle, facts, more: true) = {
  if d.brand.hasLogo { image("/logo", format: d.brand.logoFormat, height: 2.2cm) }
  v(0.4cm)
  text(size: 13pt, weight: "bold", fill: brand, rich(d.brand.name))
  v(3.2cm)
  block(width: 100%, fill: soft, inset: 18pt, radius: 6pt)[
    #text(size: 11pt, fill: luma(80), title)
    #v(0.3cm)
    #text(size: 26pt, weight: "bold", rich(subtitle))
    #v(0.2cm)
    #for f in facts [ #text(size: 11pt, rich(f)) \ ]
  ]
  v(1fr)
  grid(columns: (auto, 1fr), column-gutter: 12pt, row-gutter: 6pt,
    text(fill: luma(100), L.date), rich(d.date),
    text(fill: luma(100), L.language), d.languageName,
  )
  if d.brand.contact != none { v(0.4cm); text(fill: luma(80), rich(d.brand.contact)) }
  if more { pagebreak() }
}

#let bar(value, max, shown) = grid(columns: (1fr, 2.6cm), column-gutter: 6pt,
  box(width: 100%, height: 9pt, fill: luma(235), radius: 2pt,
    align(start, box(width: if max > 0 { 100% * value / max } else { 0% }, height: 9pt, fill: brand, radius: 2pt))),
  text(size: 9pt, shown),
)
`;

const leadBody = String.raw`
#cover(L.title, d.subject.name, d.subject.facts)

= #L.summary
#grid(columns: (auto, 1fr), column-gutter: 18pt, align: horizon,
  block(fill: brand, inset: 14pt, radius: 6pt, align(center, text(fill: white)[
    #text(size: 30pt, weight: "bold", d.summary.grade) \
    #text(size: 10pt)[#L.score #num(d.summary.score)/#num(100)]
  ])),
  [
    #text(weight: "bold", L.topOpportunities)
    #if d.summary.top.len() == 0 [ #L.noOpportunities ]
    #for t in d.summary.top [ - #rich(t) ]
  ],
)

= #L.comparison
#text(fill: luma(90), rich(d.comparisonIntro))
#table(columns: (auto, 1fr), stroke: 0.5pt + luma(210), inset: 7pt,
  ..d.comparison.map(c => (text(weight: "bold", c.area), if c.hasData { rich(c.text) } else { text(fill: luma(110), rich(c.text)) })).flatten()
)

= #L.findings
#if d.findings.len() == 0 [ #L.noFindings ]
#for g in d.findings [
  == #g.area
  #for i in g.items [
    #block(breakable: false, below: 0.9em)[
      #rich(i.text) \
      #set text(size: 8.5pt, fill: luma(90))
      #if i.url != none [ #L.source: #text(dir: ltr, link(i.url, i.url)) \ ]
      #L.captured: #rich(i.captured) · #L.weight: #num(i.weight)
    ]
  ]
]

== #L.scoreMakeup
#if d.breakdown.len() == 0 [ #L.noFindings ]
#for b in d.breakdown [
  #grid(columns: (5.5cm, 1fr), column-gutter: 8pt, text(size: 9pt, b.label), bar(b.weight, d.breakdownMax, num(b.weight)))
  #v(2pt)
]

= #L.recommendations
#if d.recommendations.len() == 0 [ #L.noRecommendations ]
#for r in d.recommendations [
  #block(breakable: false, below: 1em)[
    #text(weight: "bold", r.title) \
    #rich(r.text)
  ]
]

#block(width: 100%, stroke: 1.5pt + brand, inset: 16pt, radius: 6pt, above: 1.6em)[
  #text(size: 13pt, weight: "bold", fill: brand, L.nextStep) \
  #rich(d.cta.text)
  #if d.cta.contact != none [ \ #rich(d.cta.contact) ]
  #if d.cta.whatsappUrl != none [ \ #link(d.cta.whatsappUrl, text(weight: "bold", L.whatsapp)) ]
]
`;

const listBody = String.raw`
#cover(L.title, d.subject.name, d.subject.facts)

= #L.distribution
#for b in d.distribution [
  #grid(columns: (3cm, 1fr), column-gutter: 8pt, text(size: 9pt, num(b.label)), bar(b.count, d.distributionMax, num(b.count)))
  #v(2pt)
]

= #L.ranking
#table(columns: (auto, 1fr, auto, 1.6fr), stroke: 0.5pt + luma(210), inset: 6pt,
  table.header(..(L.rank, L.business, L.score, L.topFindings).map(h => text(weight: "bold", h))),
  ..d.leads.map(l => (num(l.rank), [#rich(l.name) #if l.city != none [\ #text(size: 8pt, fill: luma(100), rich(l.city))]], num(l.score), text(size: 8.5pt, l.findings.map(rich).join([ \ ])))).flatten()
)
`;

/** The cover alone, one page: the branding preview. */
const coverBody = String.raw`
#cover(L.title, d.subject.name, d.subject.facts, more: false)
`;

export const reportTemplates = { lead: preamble + leadBody, list: preamble + listBody, cover: preamble + coverBody } as const;
