import pg from 'pg';
import { arabicFirst, arabicSecond, categories, cities, latinFirst, latinSecond, statusWeights, streets, tagPool } from './seed-data.js';

export type SeedTenant = { tenantId: string; ownerUserId: string; leads: number; salt: number };

// Cumulative status thresholds, e.g. NEW below 0.6, CONTACTED below 0.8 …
const statusCase = (() => {
  let acc = 0;
  const arms = statusWeights.slice(0, -1).map(([status, w]) => `when r.rs < ${(acc += w).toFixed(4)} then '${status}'`);
  return `case ${arms.join(' ')} else '${statusWeights.at(-1)![0]}' end::lead_status`;
})();

/**
 * One statement per tenant: `generate_series` rows with their random draws made once in the inner
 * select (PostgreSQL does not flatten a subquery with volatile output), turned into leads outside.
 * Cities are skewed (the first ones are much more common), like a real customer base.
 */
const insertLeadsSql = `
insert into leads (tenant_id, name, category, address, city, country, lat, lon, phone, email, website, domain, source, source_id,
                   rating, review_count, status, score, owner_user_id, tags, notes, created_at, updated_at)
select $1::uuid,
       r.base_name || case when r.rbranch < 0.3 then ' ' || (r.g % 40 + 1) else '' end,
       ($5::text[])[r.cat],
       (r.i1 % 250 + 1) || ' ' || ($10::text[])[r.i2 % array_length($10::text[], 1) + 1],
       ($11::text[])[r.ci], ($12::text[])[r.ci],
       ($14::float8[])[r.ci] + (r.rlat - 0.5) * 0.2, ($15::float8[])[r.ci] + (r.rlon - 0.5) * 0.2,
       case when r.has_phone then '+' || ($13::text[])[r.ci] || lpad(((r.g::bigint * 7919 + $3::bigint) % 1000000000)::text, 9, '0') end,
       case when r.has_email then case when r.has_site then 'info@' || r.slug || '.com' else 'contact' || r.g || '@gmail.com' end end,
       case when r.has_site then 'https://www.' || r.slug || '.com/' end,
       case when r.has_site then r.slug || '.com' end,
       r.source::lead_source,
       case when r.source in ('osm', 'google') then r.source || '/' || r.g end,
       case when r.source = 'google' then round((1 + 4 * r.rt)::numeric, 1)::real end,
       case when r.source = 'google' then floor(power(r.rt2, 3) * 2000)::int end,
       ${statusCase},
       least(100, floor(power(r.rsc, 1.3) * 101))::int,
       case when r.rown < 0.2 then $4::uuid end,
       case when r.rtag < 0.7 then '{}'::text[]
            when r.rtag < 0.9 then array[($16::text[])[r.i1 % 8 + 1]]
            else array[($16::text[])[r.i1 % 8 + 1], ($16::text[])[(r.i1 + 1 + r.i2 % 7) % 8 + 1]] end,
       case when r.rt2 < 0.05 then 'Met at the trade fair; call back after Ramadan.' end,
       r.created_at,
       r.created_at + r.rupd * (now() - r.created_at)
from (
  select d.*,
         case when d.arabic then ($8::text[])[d.i1 % array_length($8::text[], 1) + 1] || ' ' || ($9::text[])[d.i2 % array_length($9::text[], 1) + 1]
              else ($6::text[])[d.i1 % array_length($6::text[], 1) + 1] || ' ' || ($7::text[])[d.i2 % array_length($7::text[], 1) + 1] end as base_name,
         case when d.arabic then 'biz' || d.g
              else lower(replace(($6::text[])[d.i1 % array_length($6::text[], 1) + 1] || ($7::text[])[d.i2 % array_length($7::text[], 1) + 1], ' ', '')) || d.g end as slug,
         case when d.rsrc < 0.4 then 'osm' when d.rsrc < 0.8 then 'google' when d.rsrc < 0.95 then 'csv' else 'manual' end as source
  from (
    select g,
           random() < 0.25 as arabic,
           floor(random() * 1e9)::int as i1,
           floor(random() * 1e9)::int as i2,
           floor(power(random(), 2) * array_length($11::text[], 1))::int + 1 as ci,
           floor(random() * array_length($5::text[], 1))::int + 1 as cat,
           random() as rs, random() as rsc, random() as rt, random() as rt2, random() as rtag, random() as rown,
           random() as rsrc, random() as rbranch, random() as rlat, random() as rlon, random() as rupd,
           random() < 0.7 as has_site, random() < 0.85 as has_phone, random() < 0.45 as has_email,
           now() - random() * interval '365 days' as created_at
    from generate_series(1, $2::int) g
  ) d
) r`;

const insertParams = (t: SeedTenant) => [
  t.tenantId,
  t.leads,
  t.salt,
  t.ownerUserId,
  categories,
  latinFirst,
  latinSecond,
  arabicFirst,
  arabicSecond,
  streets,
  cities.map((c) => c[0]),
  cities.map((c) => c[1]),
  cities.map((c) => c[2]),
  cities.map((c) => c[3]),
  cities.map((c) => c[4]),
  tagPool,
];

/** Session settings for bulk loading: skip foreign-key triggers (rows are consistent by construction) and wait for no fsync. */
async function bulkSession(pool: pg.Pool) {
  const client = await pool.connect();
  await client.query(`set session_replication_role = replica; set synchronous_commit = off; set maintenance_work_mem = '1GB';
                      set max_parallel_maintenance_workers = 2; select setseed(0.42)`);
  return client;
}

export type ListSeed = { tenantId: string; name: string; members: number };
export type SeedResult = { seconds: number; steps: Record<string, number>; lists: Record<string, string> };

/**
 * Fills the tenants' lead tables as fast as PostgreSQL allows: the secondary indexes of `leads`
 * are dropped, rows are generated in two sessions in parallel (2 cores), then the indexes are
 * rebuilt from their exact definitions, lists are filled and the tables analysed.
 */
export async function seedLeads(
  url: string,
  tenants: SeedTenant[],
  listSeeds: ListSeed[],
  log: (line: string) => void,
): Promise<SeedResult> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const steps: Record<string, number> = {};
  const t0 = performance.now();
  const step = async <T>(name: string, work: () => Promise<T>) => {
    const s = performance.now();
    const result = await work();
    steps[name] = (performance.now() - s) / 1000;
    log(`  ${name}: ${steps[name].toFixed(1)} s`);
    return result;
  };
  try {
    await pool.query(`update tenants set plan_code = 'business' where id = any($1::uuid[])`, [tenants.map((t) => t.tenantId)]);
    const { rows: indexes } = await pool.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = 'leads' and indexname <> 'leads_pkey'`,
    );
    await pool.query(`drop index ${indexes.map((i) => `"${i.indexname}"`).join(', ')}`);

    const sessions = [await bulkSession(pool), await bulkSession(pool)];
    try {
      // Two queues of about equal rows: the biggest tenant alone, the others together.
      const sorted = [...tenants].sort((a, b) => b.leads - a.leads);
      const queues: SeedTenant[][] = [[], []];
      const load = [0, 0];
      for (const t of sorted) {
        const i = load[0] <= load[1] ? 0 : 1;
        queues[i].push(t);
        load[i] += t.leads;
      }
      await step(`insert ${tenants.reduce((n, t) => n + t.leads, 0).toLocaleString('en')} leads`, () =>
        Promise.all(
          queues.map(async (queue, i) => {
            for (const t of queue) await sessions[i].query(insertLeadsSql, insertParams(t));
          }),
        ),
      );

      // The trigram index is the slowest to build: it gets one session, the btree indexes share the other.
      const gin = indexes.filter((i) => /using gin/i.test(i.indexdef));
      const btree = indexes.filter((i) => !/using gin/i.test(i.indexdef));
      await step(`rebuild ${indexes.length} lead indexes`, () =>
        Promise.all(
          [gin, btree].map(async (group, i) => {
            for (const ix of group) await sessions[i].query(ix.indexdef);
          }),
        ),
      );

      const lists: Record<string, string> = {};
      await step(`fill ${listSeeds.length} lists`, async () => {
        for (const l of listSeeds) {
          const { rows } = await sessions[0].query<{ id: string }>(`insert into lists (tenant_id, name) values ($1, $2) returning id`, [
            l.tenantId,
            l.name,
          ]);
          lists[`${l.tenantId}:${l.name}`] = rows[0].id;
          await sessions[0].query(
            `insert into lead_lists (tenant_id, list_id, lead_id)
             select $1, $2, id from leads where tenant_id = $1 order by random() limit $3`,
            [l.tenantId, rows[0].id, l.members],
          );
        }
      });
      await step('vacuum analyze', () =>
        sessions[0].query('vacuum (analyze) leads, lists, lead_lists, tenants, memberships, users, sessions'),
      );
      // The seed leaves gigabytes of dirty pages behind; written out now, they no longer share the
      // machine with the first measurements.
      await step('checkpoint', () => sessions[0].query('checkpoint'));
      return { seconds: (performance.now() - t0) / 1000, steps, lists };
    } finally {
      for (const s of sessions) s.release();
    }
  } finally {
    await pool.end();
  }
}
