import { and, eq } from 'drizzle-orm';
import { ProspectSearchInput } from '@optarget/shared';
import { recordAudit, type AuditActor } from '../audit/record.js';
import { jobLeads, leadLists, lists, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError } from '../errors/catalogue.js';
import { PermanentJobError, type JobHandler, type JobRun } from '../jobs/definitions.js';
import { findDefaultCountry } from '../settings/general.js';
import { upsertLeads } from '../leads/upsert.js';
import { matchCategory } from './categories.js';
import { placeToDraft } from './drafts.js';
import { SourceBusyError } from './errors.js';
import { loadGooglePlacesKey } from '../settings/prospecting.js';
import { searchNearby, searchText, type GooglePage } from './google-places.js';
import { countryAt, geocode } from './nominatim.js';
import { countryCodeOf } from '../leads/country.js';
import { buildOverpassQuery, areaIdFor, type SearchArea } from './overpass-query.js';
import { placeFromElement, runOverpassQuery } from './overpass.js';
import type { Place } from './place.js';

const SAVE_BATCH = 100;

type Counts = { found: number; new: number; merged: number; skipped: number };
type Search = {
  job: JobRun;
  input: ProspectSearchInput;
  defaultCountry: string | null;
  /** The searched area's country, from geocoding: national phone numbers found there are read in it. */
  areaCountry: string | null;
  /** The searched area's city, given to places whose source has no city of their own. */
  areaCity: string | null;
  listId: string | null;
  counts: Counts;
  saved: number;
  /** Every lead this search created or matched, for the target list and enrichment. */
  leadIds: Set<string>;
};

/**
 * PROSPECT_SEARCH: finds businesses in OpenStreetMap and/or Google Places and upserts them as
 * leads, optionally into a list. Every batch is written in its own short transaction and matched
 * on the source id first, so a retry or a rerun after a crash merges into the leads already saved
 * instead of duplicating them. Result: found = new + merged + skipped.
 */
export const prospectSearchHandler: JobHandler<'PROSPECT_SEARCH'> = {
  async run(job, input) {
    const { config } = job.services;
    const setup = await job.inTenant(async (tx) => ({
      defaultCountry: await findDefaultCountry(tx, job.tenantId),
      listExists: input.listId ? await tenantHasList(tx, job.tenantId, input.listId) : false,
      googleKey: input.sources.includes('google') ? await loadGooglePlacesKey(tx, job.tenantId, config.appSecret) : null,
      actor: await actorOf(tx, job.createdByUserId),
    }));
    if (input.listId && !setup.listExists) await job.log('warn', { code: 'log.searchListGone' });
    if (job.attempt > 1) await job.log('info', { code: 'log.searchRerun' });
    const search: Search = {
      job,
      input,
      defaultCountry: setup.defaultCountry,
      areaCountry: null,
      areaCity: null,
      listId: setup.listExists ? input.listId! : null,
      counts: { found: 0, new: 0, merged: 0, skipped: 0 },
      saved: 0,
      leadIds: new Set<string>(),
    };

    try {
      for (const source of input.sources) {
        if (await job.isCancelled()) break;
        if (source === 'osm') await searchOpenStreetMap(search);
        else await searchGooglePlaces(search, setup.googleKey);
      }
    } catch (err) {
      if (err instanceof SourceBusyError) await job.log('warn', err.detail);
      throw err;
    }

    const { counts } = search;
    await job.inTenant((tx) =>
      recordAudit(tx, job.tenantId, setup.actor, {
        action: 'prospect_search.completed',
        targetType: 'job',
        targetId: job.jobId,
        metadata: {
          query: input.query,
          location: input.location ?? null,
          point: input.point ?? null,
          sources: input.sources,
          listId: search.listId,
          ...counts,
        },
      }),
    );
    await job.log('info', { code: 'log.searchSaved', params: { new: counts.new, merged: counts.merged, skipped: counts.skipped } }, counts);
    if (input.enrich) await enrichFoundLeads(search);
    await job.progress(search.saved, counts.found, 'step.done');
    return counts;
  },
};

async function searchOpenStreetMap(search: Search) {
  const { job, input } = search;
  const { config, db } = job.services;
  let area: SearchArea;
  if (input.point) {
    area = { kind: 'around', ...input.point };
  } else {
    await job.progress(search.saved, null, `Finding ${input.location} on the map`);
    const place = await geocode(config, db, input.location!);
    if (!place) throw new PermanentJobError({ code: 'error.placeUnknown', params: { location: input.location! } });
    const areaId = areaIdFor(place.osmType, place.osmId);
    const box = place.boundingBox;
    area = areaId
      ? { kind: 'area', areaId }
      : box
        ? { kind: 'bbox', south: box[0], north: box[1], west: box[2], east: box[3] }
        : { kind: 'around', lat: place.lat, lon: place.lon, radiusMeters: 5000 };
    search.areaCountry = place.countryCode ?? null;
    search.areaCity = place.city ?? null;
    await job.log(
      'info',
      { code: 'log.geocoded', params: { location: input.location ?? '', place: place.displayName } },
      {
        osm: `${place.osmType} ${place.osmId}`,
        lat: place.lat,
        lon: place.lon,
        countryCode: search.areaCountry,
      },
    );
  }

  const category = matchCategory(input.query);
  const query = buildOverpassQuery(category ? { category } : { name: input.query }, area, input.limit);
  await job.log(
    'info',
    category
      ? {
          code: 'log.searchingOsmCategory',
          params: { categoryEn: category.en, categoryAr: category.ar, tags: category.osm.map(([k, v]) => `${k}=${v}`).join(' | ') },
        }
      : { code: 'log.searchingOsmName', params: { query: input.query } },
    { query },
  );
  await job.progress(search.saved, null, 'step.searchingOsm');
  const elements = await runOverpassQuery(config, query);
  const places = elements.map((e) => placeFromElement(e, category?.en ?? null)).filter((p): p is Place => p !== null);
  search.counts.found += elements.length;
  search.counts.skipped += elements.length - places.length;
  if (input.point && !search.areaCountry && places.some(needsAreaCountry)) await findCountryAround(search, input.point);
  await job.log('info', { code: 'log.searchFoundOsm', params: { found: elements.length, unnamed: elements.length - places.length } });
  await savePlaces(search, places, 'OpenStreetMap');
}

async function searchGooglePlaces(search: Search, apiKey: string | null) {
  const { job, input } = search;
  const { config } = job.services;
  if (!apiKey) throw new PermanentJobError({ code: 'error.googleKeyMissing' });
  await job.progress(search.saved, null, 'step.searchingGoogle');
  const googleType = matchCategory(input.query)?.googleType;
  const pages: AsyncIterable<GooglePage> =
    input.point && googleType
      ? (async function* () {
          yield await searchNearby(config, apiKey, { type: googleType, ...input.point!, limit: input.limit });
        })()
      : searchText(config, apiKey, {
          textQuery: input.location ? `${input.query} in ${input.location}` : input.query,
          limit: input.limit,
          circle: input.point,
        });
  let pageNumber = 0;
  for await (const page of pages) {
    pageNumber++;
    search.counts.found += page.places.length + page.closed;
    search.counts.skipped += page.closed;
    await job.log('info', {
      code: 'log.searchFoundGoogle',
      params: { found: page.places.length + page.closed, page: pageNumber, closed: page.closed },
    });
    if (!(await savePlaces(search, page.places, 'Google Places'))) return;
    if (await job.isCancelled()) return;
  }
}

/** A place with a phone written without a country code and no country of its own. */
const needsAreaCountry = (place: Place) => !countryCodeOf(place.country) && place.phones.some((phone) => !phone.trim().startsWith('+'));

/**
 * The country around a searched point, for reading national phone numbers there. Without an
 * answer the search goes on: such phones are then read in the tenant's default country, or kept
 * as text that needs attention.
 */
async function findCountryAround(search: Search, point: { lat: number; lon: number }) {
  const { job } = search;
  try {
    search.areaCountry = await countryAt(job.services.config, job.services.db, point.lat, point.lon);
    await job.log(
      'info',
      search.areaCountry ? { code: 'log.searchCountry', params: { country: search.areaCountry } } : { code: 'log.searchNoCountry' },
    );
  } catch (err) {
    if (!(err instanceof SourceBusyError)) throw err;
    await job.log('warn', { code: 'log.searchCountryUnknown' }, { detail: err.detail });
  }
}

/** Upserts places in batches, each in its own short transaction; false when the job was cancelled meanwhile. */
async function savePlaces(search: Search, places: Place[], sourceLabel: string): Promise<boolean> {
  const { job, counts } = search;
  const country = search.areaCountry ?? search.defaultCountry;
  for (let start = 0; start < places.length; start += SAVE_BATCH) {
    if (await job.isCancelled()) return false;
    const drafts = places.slice(start, start + SAVE_BATCH).map((p) => placeToDraft(p, country, search.areaCity));
    const outcomes = await job.inTenant(async (tx) => {
      const written = await upsertLeads(tx, job.tenantId, drafts, {
        onMatch: 'update',
        actorUserId: job.createdByUserId,
        defaultCountry: country,
        jobId: job.jobId,
      });
      const leadIds = [...new Set(written.flatMap((o) => (o.leadId ? [o.leadId] : [])))];
      // What "View leads" opens; a retry keeps the first outcome, so leads it created stay new.
      const found = written.flatMap((o) =>
        o.leadId
          ? [
              {
                tenantId: job.tenantId,
                jobId: job.jobId,
                leadId: o.leadId,
                outcome: o.outcome === 'created' ? ('new' as const) : ('merged' as const),
              },
            ]
          : [],
      );
      if (found.length) await tx.insert(jobLeads).values(found).onConflictDoNothing();
      if (search.listId && leadIds.length)
        await tx
          .insert(leadLists)
          .values(leadIds.map((leadId) => ({ tenantId: job.tenantId, listId: search.listId!, leadId, addedByUserId: job.createdByUserId })))
          .onConflictDoNothing();
      return written;
    });
    for (const o of outcomes) {
      if (o.leadId) search.leadIds.add(o.leadId);
      if (o.outcome === 'created') counts.new++;
      else if (o.leadId) counts.merged++;
      else counts.skipped++;
    }
    search.saved += drafts.length;
    await job.progress(search.saved, counts.found, `Saving leads from ${sourceLabel}`);
  }
  return true;
}

async function tenantHasList(tx: Tx, tenantId: string, listId: string) {
  const rows = await tx
    .select({ id: lists.id })
    .from(lists)
    .where(and(eq(lists.tenantId, tenantId), eq(lists.id, listId)));
  return rows.length > 0;
}

async function actorOf(tx: Tx, userId: string | null): Promise<AuditActor> {
  const [user] = userId ? await tx.select({ email: users.email }).from(users).where(eq(users.id, userId)) : [];
  return { userId, email: user?.email ?? null, ip: null, userAgent: null };
}

const MAX_ENRICH_PER_JOB = 10_000;

/** Starts enrichment of the leads this search found; a refusal (the plan's limit) is logged, the search still succeeds. */
async function enrichFoundLeads(search: Search) {
  const { job } = search;
  const leadIds = [...search.leadIds].slice(0, MAX_ENRICH_PER_JOB);
  if (leadIds.length === 0) return;
  try {
    const enrichJobId = await job.startFollowUp('ENRICH_LEADS', { leadIds });
    await job.log('info', { code: 'log.searchEnriching', params: { count: leadIds.length } }, { jobId: enrichJobId });
  } catch (err) {
    const reason = err instanceof AppError ? err.message : 'it could not be started';
    await job.log('warn', { code: 'log.searchNotEnriched' }, { reason });
  }
}
