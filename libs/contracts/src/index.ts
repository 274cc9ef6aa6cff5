// @velora/contracts: plain-TypeScript contracts shared by apps/api and apps/web. Import nothing here, so the
// browser bundle never pulls server code.
export * from './audit-actions';
export * from './reconciliation';
export * from './saved-views';
export * from './sso-error-codes';
export * from './insights';
export * from './integration-settings';
export * from './events';
export * from './exports';
export * from './privacy';
export * from './detection';
