/** tskrb: a pure-TypeScript Kerberos client. The root entry re-exports the public API of every layer. */
export * from './errors.js';
export { VERSION } from './version.js';
