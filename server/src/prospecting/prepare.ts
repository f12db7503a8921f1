import type { ProspectSearchInput } from '@optarget/shared';
import type { z } from 'zod';
import { AppError } from '../errors/catalogue.js';
import type { PrepareContext } from '../jobs/definitions.js';
import { requireList } from '../lists/lists.js';
import { assertWithinPlan, incrementUsage } from '../plans/limits.js';
import { loadGooglePlacesKey } from '../settings/prospecting.js';

/** Before a search exists: the Google key if Google is asked for, the target list, the plan's limits; then count the search. */
export async function prepareProspectSearch(ctx: PrepareContext, body: z.infer<typeof ProspectSearchInput>) {
  const { tx, tenantId } = ctx;
  if (body.sources.includes('google') && !(await loadGooglePlacesKey(tx, tenantId, ctx.services.config.appSecret)))
    throw new AppError(
      'VALIDATION_FAILED',
      'Google Places needs an API key: save one in the Google Places settings, or search OpenStreetMap only.',
      {
        fields: [{ field: 'sources', message: 'Google Places needs a saved API key', rule: 'googleKey' }],
      },
    );
  if (body.listId) await requireList(tx, tenantId, body.listId);
  // Both limits are checked before the job exists, so a refused search leaves nothing behind.
  const { plan } = await assertWithinPlan(tx, tenantId, 'searches');
  if (body.limit > plan.resultsPerSearch)
    throw new AppError(
      'PLAN_LIMIT_EXCEEDED',
      `The ${plan.name} plan allows up to ${plan.resultsPerSearch} results per search; ask for fewer or upgrade the plan.`,
      { metric: 'resultsPerSearch', limit: plan.resultsPerSearch, requested: body.limit, planCode: plan.code },
    );
  await incrementUsage(tx, tenantId, 'searches');
}
