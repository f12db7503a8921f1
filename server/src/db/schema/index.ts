export * from './identity.js';
export * from './tenancy.js';
export * from './work.js';
