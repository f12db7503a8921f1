/**
 * When the makers of a product stopped supporting a release line: a small table, checked by hand
 * on 2026-12-03 against the sources named with each product. A version is marked outdated only
 * when its line is listed here and the date has passed; a product or line not listed is never
 * called outdated. Keep the dates exact, with their source, when adding a line.
 */
export const END_OF_LIFE_CHECKED_ON = '2026-12-03';

type Line = [cycle: string, endOfLife: string];
type Product = { product: string; source: string; lines: Line[] };

const table: Product[] = [
  {
    // "Only the latest version in the current release cycle is supported"; 3.0 became current on 2016-06-09.
    product: 'jQuery',
    source: 'https://endoflife.date/jquery',
    lines: [
      ['1', '2016-06-09'],
      ['2', '2016-06-09'],
    ],
  },
  {
    product: 'jQuery UI',
    source: 'https://endoflife.date/jquery-ui',
    lines: [
      ['1.7', '2010-03-23'],
      ['1.8', '2012-10-08'],
      ['1.9', '2013-01-17'],
      ['1.10', '2014-06-26'],
      ['1.11', '2016-04-21'],
      ['1.12', '2021-10-07'],
      ['1.13', '2024-08-05'],
    ],
  },
  {
    product: 'Bootstrap',
    source: 'https://endoflife.date/bootstrap',
    lines: [
      ['2', '2013-08-19'],
      ['3', '2019-07-24'],
      ['4', '2023-01-01'],
    ],
  },
  { product: 'AngularJS', source: 'https://docs.angularjs.org/misc/version-support-status', lines: [['1', '2021-12-31']] },
  { product: 'Vue.js', source: 'https://v2.vuejs.org/eol/', lines: [['2', '2023-12-31']] },
  {
    product: 'PHP',
    source: 'https://www.php.net/eol.php',
    lines: [
      ['5.2', '2011-01-06'],
      ['5.3', '2014-08-14'],
      ['5.4', '2015-09-14'],
      ['5.5', '2016-07-21'],
      ['5.6', '2018-12-31'],
      ['7.0', '2019-01-10'],
      ['7.1', '2019-12-01'],
      ['7.2', '2020-11-30'],
      ['7.3', '2021-12-06'],
      ['7.4', '2022-11-28'],
      ['8.0', '2023-11-26'],
      ['8.1', '2025-12-31'],
      ['8.2', '2026-12-31'],
      ['8.3', '2027-12-31'],
    ],
  },
  {
    product: 'Apache',
    source: 'https://endoflife.date/apache',
    lines: [
      ['1.3', '2010-02-03'],
      ['2.0', '2013-07-10'],
      ['2.2', '2017-07-11'],
    ],
  },
  {
    // IIS is supported for the life of the Windows Server release it ships with.
    product: 'Microsoft IIS',
    source: 'https://learn.microsoft.com/lifecycle/products/',
    lines: [
      ['6.0', '2015-07-14'],
      ['7.0', '2020-01-14'],
      ['7.5', '2020-01-14'],
      ['8.0', '2023-10-10'],
      ['8.5', '2023-10-10'],
    ],
  },
  {
    product: 'Drupal',
    source: 'https://www.drupal.org/about/core/policies/core-release-cycles/schedule',
    lines: [
      ['7', '2025-01-05'],
      ['8', '2021-11-02'],
      ['9', '2023-11-01'],
    ],
  },
  {
    product: 'Joomla',
    source: 'https://endoflife.date/joomla',
    lines: [
      ['3', '2023-08-17'],
      ['4', '2025-10-17'],
    ],
  },
];

export type EndOfLife = { cycle: string; endOfLife: string; source: string };

/** The line `version` belongs to when its makers stopped supporting it before `now`; null otherwise. */
export function endOfLifeOf(product: string, version: string, now: Date): EndOfLife | null {
  const entry = table.find((p) => p.product === product);
  const parts = version.split('.');
  const line = entry?.lines.find(([cycle]) => cycle.split('.').every((part, i) => parts[i] === part));
  if (!entry || !line || new Date(`${line[1]}T00:00:00Z`) > now) return null;
  return { cycle: line[0], endOfLife: line[1], source: entry.source };
}
