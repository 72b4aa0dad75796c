/**
 * The Negotiate tokens of an HTTP exchange as explain trees (`tskrb http --trace`, `tskrb serve --trace`): the
 * explain engine's GSS and SPNEGO trees, opened with the keys at hand (the ticket's session key on the client, the
 * keytab on the server) so that the authenticator, its 0x8003 checksum, the AP-REP and the PAC show.
 */

import { bytesText, type ExplainNode, node } from '../explain/core.js';
import { sniffGss } from '../explain/detect-gss.js';
import { explainAs } from '../explain/explain.js';
import { type GssExplainOptions, GssSession } from '../explain/gss.js';
import type { Keyring } from '../explain/keyring.js';

/** Explain options that open parts with the keys of `ring` (and learn the subkeys they carry). */
export function traceOptions(ring: Keyring, showKeys: boolean): GssExplainOptions {
  return {
    showKeys,
    open: (ed, usages, kind, owner) => ring.open(ed, usages, kind, owner),
    kdcKeys: () => ring.kdcKeys(),
    gss: new GssSession(() => ring.keys),
  };
}

/** A tree for the token of a `Negotiate <base64>` header (either direction); undecodable bytes shown as bytes. */
export function explainNegotiateToken(
  label: string,
  b: Uint8Array,
  opts: GssExplainOptions = {},
): ExplainNode {
  try {
    const g = sniffGss(b);
    if (g !== undefined) return explainAs(g.name, g.value, { ...opts, label });
    return node(label, bytesText(b), 'not a GSS-API or SPNEGO token');
  } catch (e) {
    return node(label, bytesText(b), `not decoded: ${e instanceof Error ? e.message : String(e)}`);
  }
}
