export * from './common.js';
export * from './tenants.js';
export * from './team.js';
export * from './plans.js';
export * from './audit.js';
export * from './policy.js';
