/** Credential files in the teaching view: MIT ccache (each credential with its ticket decoded) and keytab. */
import { bitsToFlags, decodeTicket, TicketFlagBit } from '../asn1/index.js';
import {
  type Ccache,
  type Credential,
  type CredsPrincipal,
  formatCredsPrincipal,
  isConfigEntry,
  type Keytab,
} from '../creds/index.js';
import { enctypeName } from '../crypto/index.js';
import { KerberosError } from '../errors.js';
import { fromUtf8 } from '../util/bytes.js';
import { bytesText, type Explain, type ExplainNode, flagsNode, isoTime, keyText, node } from './core.js';
import { NAME_TYPES, TICKET_FLAGS } from './names.js';

function principal(label: string, p: CredsPrincipal, note?: string): ExplainNode {
  const type = NAME_TYPES.get(p.nameType) ?? `name-type ${p.nameType}`;
  return node(label, formatCredsPrincipal(p), note === undefined ? type : `${type}; ${note}`);
}

function printable(b: Uint8Array): string {
  const s = fromUtf8(b);
  return /^[\x20-\x7e]*$/.test(s) ? JSON.stringify(s) : bytesText(b);
}

function ticketNode(label: string, der: Uint8Array, ex: Explain): ExplainNode {
  try {
    return ex.value(label, decodeTicket(der));
  } catch (e) {
    if (!(e instanceof KerberosError)) throw e;
    return node(label, bytesText(der), `could not decode: ${e.message}`);
  }
}

function credential(c: Credential, ex: Explain): ExplainNode {
  if (isConfigEntry(c)) {
    const [, key, about] = c.server.components;
    return node(
      'config',
      `${key ?? ''}${about ? ` (${about})` : ''} = ${printable(c.ticket)}`,
      'ccache configuration entry',
    );
  }
  const kids: ExplainNode[] = [
    principal('client', c.client),
    principal('server', c.server),
    node('session key', keyText(c.key.etype, c.key.bytes, ex.opts.showKeys)),
    node('authtime', isoTime(c.authtime)),
  ];
  if (c.starttime) kids.push(node('starttime', isoTime(c.starttime)));
  kids.push(node('endtime', isoTime(c.endtime)));
  if (c.renewTill) kids.push(node('renew-till', isoTime(c.renewTill)));
  kids.push(flagsNode('flags', TICKET_FLAGS, bitsToFlags(TicketFlagBit, c.flags)));
  if (c.isSkey)
    kids.push(node('is-skey', 'true', 'user-to-user: the ticket is encrypted in a TGT session key'));
  if (c.addresses.length > 0) kids.push(ex.value('addresses', c.addresses));
  if (c.authdata.length > 0) kids.push(ex.value('authdata', c.authdata));
  kids.push(ticketNode('ticket', c.ticket, ex));
  if (c.secondTicket.length > 0) kids.push(ticketNode('second ticket', c.secondTicket, ex));
  return node('credential', formatCredsPrincipal(c.server), undefined, kids);
}

/** Explains a parsed ccache: header, default principal, every credential and configuration entry. */
export function explainCcache(cc: Ccache, ex: Explain): ExplainNode {
  const kids: ExplainNode[] = [principal('default principal', cc.defaultPrincipal)];
  if (cc.kdcTimeOffset) {
    kids.push(
      node(
        'KDC time offset',
        `${cc.kdcTimeOffset.seconds} s ${cc.kdcTimeOffset.microseconds} µs`,
        'add to local time to get KDC time',
      ),
    );
  }
  kids.push(...cc.credentials.map((c) => credential(c, ex)));
  const tickets = cc.credentials.filter((c) => !isConfigEntry(c)).length;
  return node(
    'ccache',
    `version 0x${cc.version.toString(16)}, ${tickets} ticket${tickets === 1 ? '' : 's'}`,
    'MIT FILE credential cache',
    kids,
  );
}

/** Explains a parsed keytab; key bytes stay hidden unless the options show keys. */
export function explainKeytab(kt: Keytab, ex: Explain): ExplainNode {
  const kids = kt.entries.map((e) =>
    node('entry', formatCredsPrincipal(e.principal), undefined, [
      node('kvno', String(e.kvno)),
      node('key', keyText(e.key.etype, e.key.bytes, ex.opts.showKeys), enctypeName(e.key.etype)),
      node('timestamp', isoTime(e.timestamp)),
    ]),
  );
  return node(
    'keytab',
    `version 0x${kt.version.toString(16)}, ${kt.entries.length} entries`,
    'MIT keytab: long-term keys',
    kids,
  );
}
