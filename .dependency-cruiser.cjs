// The import rules of docs/architecture.md, checked by `npm run lint` (dependency-cruiser).
// Type-only imports count: a cycle or a forbidden import is one whether or not it survives compilation.

/** Plumbing: what every feature stands on. It never imports a feature. */
const plumbing = '^server/src/(db|http|errors|config|crypto|jobs|email|health|limits)/|^server/src/logging[.]ts$';
/** Cross-cutting modules the route pipeline and the job engine use: sessions and audit recording. */
const pipelineServices = '^server/src/(auth/(auth|session-cache)|audit/record)[.]ts$';
const crossCutting = '^server/src/(auth|audit|tenancy)/';
/** The composition root: registers every feature's routes and job definitions. */
const compositionRoot = '^server/src/(app|main|job-definitions)[.]ts$';
/** Test code may reach anything (it is no part of the running app). */
const testCode = '[.]test[.]tsx?$|^server/src/test/|/(test-helpers|test-users|test-worker-process|fake-services)[.]ts$';
const webPlumbing = '^web/src/(api|i18n|lib|shell)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules never import each other in a circle, not even through type imports.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'plumbing-not-to-features',
      severity: 'error',
      comment:
        'Plumbing (db, http, errors, config, crypto, the jobs engine, email, logging, health, request limits) never imports a feature; ' +
        'features register their routes and jobs through the composition root instead. A new folder counts as a feature until it is listed here.',
      from: { path: plumbing, pathNot: testCode },
      to: { path: '^server/src/[^/]+/', pathNot: [plumbing, crossCutting] },
    },
    {
      name: 'plumbing-only-to-pipeline-services',
      severity: 'error',
      comment: 'Of the cross-cutting modules, plumbing uses only sessions (auth/auth.ts, auth/session-cache.ts) and audit recording.',
      from: { path: plumbing, pathNot: testCode },
      to: { path: crossCutting, pathNot: pipelineServices },
    },
    {
      name: 'cross-cutting-not-to-features',
      severity: 'error',
      comment:
        'Auth, audit and tenancy serve the features, not the other way round. The one exception: signing up ' +
        "(auth/sign-up.ts) provisions the person's first tenant or accepts their invitation.",
      from: { path: crossCutting, pathNot: [testCode, '^server/src/auth/sign-up[.]ts$'] },
      to: { path: '^server/src/[^/]+/', pathNot: [plumbing, crossCutting] },
    },
    {
      name: 'only-the-root-imports-the-root',
      severity: 'error',
      comment: 'app.ts, main.ts and job-definitions.ts compose the app; nothing inside it imports them.',
      from: { pathNot: [compositionRoot, testCode] },
      to: { path: compositionRoot },
    },
    {
      name: 'shared-stands-alone',
      severity: 'error',
      comment: 'The shared schemas feed both the server and the web app, so they import neither.',
      from: { path: '^shared/' },
      to: { path: '^(server|web)/' },
    },
    {
      name: 'server-and-web-apart',
      severity: 'error',
      comment: 'The server and the web app meet only in the shared schemas.',
      from: { path: '^(server|web)/' },
      to: { path: '^(server|web)/', pathNot: '^$1/' },
    },
    {
      name: 'web-plumbing-not-to-features',
      severity: 'error',
      comment: "The web app's plumbing (api client, i18n, lib, shell) never imports a feature's pages.",
      from: { path: webPlumbing },
      to: { path: '^web/src/[^/]+/', pathNot: webPlumbing },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves; otherwise the rules above would pass without looking.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    includeOnly: '^(server|shared|web)/',
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
