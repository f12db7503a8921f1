-- hand-written: the leads to flag are read by their ids (the primary key) and named in one CTE;
-- the condition "p_leads IS NULL OR id = ANY(p_leads)" read every lead of the tenant on each call.
--> statement-breakpoint
CREATE OR REPLACE FUNCTION flag_near_duplicates(p_tenant uuid, p_leads uuid[], p_cap int) RETURNS SETOF uuid
  LANGUAGE sql
  AS $f$
  WITH targets AS MATERIALIZED (
    SELECT id, tenant_id, name_key, city, lat, lon FROM leads WHERE tenant_id = p_tenant AND id = ANY(p_leads)
    UNION ALL
    SELECT id, tenant_id, name_key, city, lat, lon FROM leads WHERE p_leads IS NULL AND tenant_id = p_tenant
  ), located AS (
    SELECT n.id AS a, o.id AS b,
      similarity(n.name_key, o.name_key) AS sim,
      2 * 6371000 * asin(least(1, sqrt(power(sin(radians(o.lat - n.lat) / 2), 2)
        + cos(radians(n.lat)) * cos(radians(o.lat)) * power(sin(radians(o.lon - n.lon) / 2), 2)))) AS dist
    FROM targets n
    JOIN leads o ON o.tenant_id = n.tenant_id AND o.id <> n.id AND o.lat IS NOT NULL
      AND o.lat BETWEEN n.lat - 0.0025 AND n.lat + 0.0025
      AND o.lon BETWEEN n.lon - 0.0025 / greatest(cos(radians(n.lat)), 0.01) AND n.lon + 0.0025 / greatest(cos(radians(n.lat)), 0.01)
    WHERE n.lat IS NOT NULL AND n.lon IS NOT NULL
  ), unlocated AS (
    SELECT n.id AS a, o.id AS b, 1::real AS sim, NULL::float8 AS dist
    FROM targets n
    JOIN leads o ON o.tenant_id = n.tenant_id AND o.name_key = n.name_key AND o.id <> n.id
      AND lower(o.city) = lower(n.city) AND (n.lat IS NULL OR o.lat IS NULL)
    WHERE n.city IS NOT NULL
  ), near AS (
    SELECT a, b, sim, dist FROM located WHERE sim >= 0.5 AND dist <= 250
    UNION ALL SELECT a, b, sim, dist FROM unlocated
  ), pairs AS (
    SELECT DISTINCT ON (x.l, x.o) x.l, x.o, near.sim, near.dist
    FROM near CROSS JOIN LATERAL (VALUES (a, b), (b, a)) AS x(l, o)
    WHERE NOT EXISTS (SELECT 1 FROM lead_duplicates d WHERE d.lead_id = x.l AND d.other_lead_id = x.o)
      AND NOT EXISTS (SELECT 1 FROM lead_duplicate_dismissals s
        WHERE s.lead_id = least(x.l, x.o) AND s.other_lead_id = greatest(x.l, x.o))
    ORDER BY x.l, x.o, near.sim DESC
  ), ranked AS (
    SELECT p.l, p.o, p.sim, p.dist,
      row_number() OVER (PARTITION BY p.l ORDER BY p.sim DESC, p.dist ASC NULLS LAST, p.o) AS rank,
      (SELECT count(*) FROM lead_duplicates d WHERE d.lead_id = p.l AND d.reason = 'name') AS existing
    FROM pairs p
  ), added AS (
    INSERT INTO lead_duplicates (tenant_id, lead_id, other_lead_id, reason, similarity, distance_m)
    SELECT p_tenant, l, o, 'name', sim, dist FROM ranked WHERE rank + existing <= p_cap
    ON CONFLICT DO NOTHING RETURNING lead_id
  )
  SELECT DISTINCT lead_id FROM added
$f$;
