export * from './identity.js';
export * from './tenancy.js';
export * from './work.js';
export * from './imports.js';
export * from './prospecting.js';
