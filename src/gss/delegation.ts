/**
 * The delegated credential of RFC 4121 4.1.1.1: a KRB-CRED of a forwarded TGT in the 0x8003 checksum. MIT encrypts
 * its enc-part in the ticket session key (not the subkey, for Windows' sake) with usage 14; Windows and Heimdal may
 * send it in the clear (etype 0). Read and written by the `.kirbi` codec of the creds layer.
 */
import { credentialFromCcache, credentialToCcache, exportKirbi, importKirbi } from '../creds/index.js';
import type { Key } from '../crypto/index.js';
import { IntegrityError, KerberosError, ProtocolError } from '../errors.js';
import type { Credential } from '../messages/index.js';

/** The KRB-CRED (DER) that forwards `tgt`, its enc-part encrypted in `key` (usage 14). */
export function makeDelegationCred(tgt: Credential, key: Key): Uint8Array {
  return exportKirbi([credentialToCcache(tgt)], { key });
}

/**
 * The credentials of a delegated KRB-CRED, trying each key in turn (the session key, then the initiator subkey) or
 * none when the enc-part is in the clear. ProtocolError (check `delegation`) when nothing opens it.
 */
export function openDelegationCred(der: Uint8Array, keys: readonly Key[]): Credential[] {
  let last: unknown;
  for (const key of [undefined, ...keys]) {
    try {
      return importKirbi(der, key ? { key } : {}).map(credentialFromCcache);
    } catch (e) {
      // Without a key an encrypted enc-part fails with FormatError, and a wrong key with IntegrityError: try on.
      if (!(e instanceof KerberosError)) throw e;
      last = e;
      if (!(e instanceof IntegrityError) && key !== undefined) break;
    }
  }
  throw new ProtocolError('the delegated credential (KRB-CRED) does not open', {
    check: 'delegation',
    cause: last,
  });
}
