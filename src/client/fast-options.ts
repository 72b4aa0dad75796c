/** FAST settings of the client: when to armor (RFC 6113) and where the armor ticket comes from. */
import type { Ccache } from '../creds/index.js';
import type { Key } from '../crypto/index.js';
import type { Credential } from '../messages/credential.js';
import type { Principal } from '../messages/principal.js';

/**
 * When to armor requests with FAST. `off`: never. `if-available`: once the realm's KDC advertises PA-FX-FAST (in
 * its PREAUTH_REQUIRED padata, or after an armored exchange succeeded). `required`: always, from the first request.
 */
export type FastMode = 'off' | 'if-available' | 'required';

/**
 * Where the AS armor ticket comes from: a TGT already held (from an earlier login), a ccache holding the realm's
 * TGT (as `kinit -T`), a keytab login of a host principal (done unarmored, as `kinit -k` does), or anonymous PKINIT
 * (`kinit -n`; RFC 8062) with the KDC certificate checked against `trustAnchors` (DER or PEM CA certificates, required:
 * armor from an unauthenticated KDC would give a man in the middle the armor key).
 */
export type ArmorSource =
  | { readonly tgt: Credential }
  | { readonly ccache: Ccache }
  | { readonly principal: string | Principal; readonly keys: readonly Key[] }
  | { readonly anonymous: true; readonly trustAnchors: readonly (Uint8Array | string)[] };

/** FAST settings of a client or of one request (overriding the client's). */
export interface FastSettings {
  /** Default: `if-available` when an armor source is known, else `off`. TGS requests need no armor source. */
  readonly fast?: FastMode | undefined;
  /**
   * Where the armor ticket comes from: an AS request's armor TGT; for a TGS request, explicit armor (compound
   * identity) instead of implicit armor with the TGT presented.
   */
  readonly armor?: ArmorSource | undefined;
}
