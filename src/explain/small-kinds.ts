/**
 * Explainers of the small structures the explain engine meets as values (keys, checksums, names, addresses, PA-DATA,
 * e-data, a PAC, credential files), by kind name; the messages and their parts are in messages.ts.
 */
import type { EncryptedData, EncryptionKey, PaData } from '../asn1/index.js';
import type { Ccache, Keytab } from '../creds/index.js';
import type { DecodedEData } from '../messages/kdc-error.js';
import type { Pac } from '../pac/index.js';
import {
  bytesText,
  cksumText,
  type Explain,
  type ExplainNode,
  encryptedText,
  keyNode,
  keyText,
  node,
  principalNode,
} from './core.js';
import { explainCcache, explainKeytab } from './creds.js';
import type { KindContext } from './messages.js';
import { ADDRESS_TYPES } from './names.js';
import { explainPac } from './pac.js';
import { explainPaData } from './padata.js';

function simple<T>(f: (v: T, ex: Explain) => ExplainNode): (v: unknown, ex: Explain) => ExplainNode {
  return (v, ex) => f(v as T, ex);
}

/** Explainers of the small structures, by kind name. */
export const SIMPLE_EXPLAINERS: ReadonlyMap<
  string,
  (v: unknown, ex: Explain, c: KindContext) => ExplainNode
> = new Map([
  [
    'PAC',
    simple<Pac>((v, ex) => {
      // A PAC explained on its own is its own input (one inside a ticket was placed by its ad-data).
      ex.opts.spans?.input(v.bytes);
      return explainPac(v, undefined, 'PAC', (offset, length) =>
        ex.opts.spans?.range(v.bytes, offset, length),
      );
    }),
  ],
  ['Ccache', simple<Ccache>((v, ex) => explainCcache(v, ex))],
  ['Keytab', simple<Keytab>((v, ex) => explainKeytab(v, ex))],
  ['EncryptedData', simple<EncryptedData>((v) => node('EncryptedData', encryptedText(v)))],
  ['EncryptionKey', simple<EncryptionKey>((v, ex) => keyNode('EncryptionKey', v, ex.opts))],
  [
    'KeyBlock',
    simple<{ etype: number; bytes: unknown }>((v, ex) =>
      node(
        'key',
        v.bytes instanceof Uint8Array
          ? keyText(v.etype, v.bytes, ex.opts.showKeys)
          : `etype ${v.etype} ${String(v.bytes)}`,
      ),
    ),
  ],
  [
    'Checksum',
    simple<{ cksumtype: number; checksum: Uint8Array }>((v) =>
      node('Checksum', cksumText(v.cksumtype), bytesText(v.checksum)),
    ),
  ],
  [
    'PrincipalName',
    simple<{ nameType: number; nameString: string[] }>((v) => principalNode('PrincipalName', v)),
  ],
  ['PaData', simple<PaData>((v, ex) => explainPaData(v, ex, 'reply'))],
  [
    'HostAddress',
    simple<{ addrType: number; address: Uint8Array }>((v) =>
      node(ADDRESS_TYPES.get(v.addrType) ?? `addr-type ${v.addrType}`, bytesText(v.address)),
    ),
  ],
  [
    'KdcAddress',
    simple<{ host: string; port: number; proto?: string }>((v) =>
      node('KDC', `${v.proto === undefined ? '' : `${v.proto}/`}${v.host}:${v.port}`),
    ),
  ],
  [
    'Principal',
    simple<{ realm: string; name: { nameType: number; nameString: string[] } }>((v) =>
      principalNode('principal', v.name, v.realm),
    ),
  ],
  ['ReplyCheck', simple<{ check: string; detail: string }>((v) => node(v.check, 'ok', v.detail))],
  [
    'EData',
    simple<DecodedEData>((v, ex) => {
      if (v.kind === 'method-data') return ex.padata('e-data', v.padata, 'reply');
      if (v.kind === 'raw') return node('e-data', bytesText(v.bytes));
      return ex.value('e-data', v.entries);
    }),
  ],
]);
