/**
 * tskrb/explain: any Kerberos or GSS bytes as an annotated tree (messages, padata, PAC, credentials, tokens), the
 * key chest that opens encrypted parts, and the Kerberos exchanges of a capture. Pure: usable in a browser.
 */

export { ByteSpans, type NodeSpan, type SpanBuffer } from './byte-spans.js';
export {
  type CaptureReport,
  type Exchange,
  type KerberosRecord,
  kerberosExchanges,
} from './capture-exchanges.js';
export { saltsOf, stepOf } from './capture-steps.js';
export type { Opener, OpenOutcome, PartKind } from './core.js';
export { type Detected, decodeInputText, detectInput, type InputEncoding } from './detect.js';
export { GssKind, type InputLine, sniffGss, type TextLine } from './detect-gss.js';
export { type ExplainNode, type ExplainOptions, explain, explainAs } from './explain.js';
export { type GssExplainOptions, GssSession } from './gss.js';
export {
  addKeytab,
  addPassword,
  Keyring,
  parseEnctype,
  parseKeySpec,
  type RingKey,
} from './keyring.js';
export { specName } from './names.js';
export { explainLines } from './spnego.js';
