/**
 * The client's ccaches: a FILE ccache holding one credential, and MIT's `fast_avail` configuration entry. The
 * Credential <-> ccache record conversion itself is src/creds/message-credential.ts.
 */
import {
  type Ccache,
  type Credential as CcacheCredential,
  CcacheVersion,
  credentialToCcache,
  getConfigValue,
  makeConfigEntry,
  toCredsPrincipal,
} from '../creds/index.js';
import type { Credential } from '../messages/credential.js';
import { fromUtf8, utf8 } from '../util/bytes.js';

/** MIT's ccache configuration key recording that the TGT's KDC speaks FAST (krb5 get_in_tkt.c). */
export const FAST_AVAIL_CONFIG_KEY = 'fast_avail';

/**
 * The `fast_avail` = `yes` configuration entry for a TGT whose KDC speaks FAST, keyed by the TGT's server as MIT
 * kinit writes it: MIT tools reading the ccache then armor their TGS requests, and `kinit -T` accepts it as armor.
 */
export function fastAvailEntry(tgt: Credential): CcacheCredential {
  return makeConfigEntry(
    toCredsPrincipal(tgt.client),
    FAST_AVAIL_CONFIG_KEY,
    utf8('yes'),
    toCredsPrincipal(tgt.server),
  );
}

/** True when the ccache says (MIT `fast_avail`) that the KDC of `tgt` speaks FAST. */
export function ccacheSaysFastAvailable(cc: Ccache, tgt: Credential): boolean {
  const v = getConfigValue(cc, FAST_AVAIL_CONFIG_KEY, toCredsPrincipal(tgt.server));
  return v !== undefined && fromUtf8(v) === 'yes';
}

/**
 * A fresh FILE v4 ccache holding one credential, its client as the default principal, as kinit writes it;
 * `timeOffsetMs` (KDC time minus local time) goes into the header for the tools that read it.
 */
export function ccacheOf(cred: Credential, timeOffsetMs = 0): Ccache {
  const cc: Ccache = {
    version: CcacheVersion.V4,
    otherHeaderFields: [],
    defaultPrincipal: toCredsPrincipal(cred.client),
    credentials: [credentialToCcache(cred)],
  };
  if (timeOffsetMs !== 0) {
    const seconds = Math.trunc(timeOffsetMs / 1000);
    cc.kdcTimeOffset = { seconds, microseconds: (timeOffsetMs - seconds * 1000) * 1000 };
  }
  return cc;
}
