/**
 * Explainers of the RFC 4120 structures, keyed by kind name: messages (KDC-REQ/REP, AP, KRB-ERROR, KRB-CRED),
 * tickets and their encrypted parts, authorization data with the PAC inside.
 */
import {
  type ApRep,
  type ApReq,
  type Authenticator,
  type AuthorizationData,
  decodeMethodData,
  type EncApRepPart,
  type EncKdcRepPart,
  type EncKrbCredPart,
  type EncTicketPart,
  errorCodeName,
  type KdcRep,
  type KdcReq,
  type KdcReqBody,
  type KrbCred,
  type KrbCredInfo,
  type KrbError,
  type KrbFastReq,
  type KrbFastResponse,
  MessageType,
  type PaData,
  type PaEncTsEnc,
  type Ticket,
} from '../asn1/index.js';
import { type Key, KeyUsage } from '../crypto/index.js';
import { hintFor } from '../messages/exchange-step.js';
import { decodeEData } from '../messages/kdc-error.js';
import { formatPrincipal } from '../messages/principal.js';
import { addressesNode, adEntries, authorizationDataNode, type PacSource } from './authdata.js';
import {
  bytesText,
  cksumText,
  type Explain,
  type ExplainNode,
  etypeText,
  isoTime,
  keyNode,
  node,
  type PartKind,
  principalNode,
} from './core.js';
import { AP_OPTIONS, FAST_OPTIONS, KDC_OPTIONS, MESSAGE_TYPES, TICKET_FLAGS } from './names.js';

/** What the caller knows about the value being explained. */
export interface KindContext {
  /** The key that opened this part (for a ticket: the service key, which checks the PAC's server signature). */
  key?: Key;
  /** The usage an AP-REQ authenticator is encrypted under. */
  authenticatorUsage?: number;
}

/** Explains one kind of value. */
export type KindExplainer = (v: unknown, ex: Explain, c: KindContext) => ExplainNode;

function kind<T>(f: (v: T, ex: Explain, c: KindContext) => ExplainNode): KindExplainer {
  return (v, ex, c) => f(v as T, ex, c);
}

function reqBody(b: KdcReqBody, ex: Explain): ExplainNode {
  const evidence = b.kdcOptions.cnameInAddlTkt
    ? 'evidence ticket (S4U2Proxy): a ticket for this service that names the user'
    : b.kdcOptions.encTktInSkey
      ? 'the TGT whose session key will encrypt the new ticket (user-to-user)'
      : undefined;
  return node('req-body', undefined, undefined, [
    ...ex.flags(b, 'kdcOptions', 'kdc-options', KDC_OPTIONS),
    ...ex.field(b, 'cname', (n) => principalNode('cname', n)),
    ...ex.field(b, 'realm', (r) => node('realm', r)),
    ...ex.field(b, 'sname', (n) => principalNode('sname', n, undefined, 'the service the ticket is for')),
    ...ex.field(b, 'from', (d) => node('from', isoTime(d))),
    ...ex.field(b, 'till', (d) => node('till', isoTime(d), 'requested end time')),
    ...ex.field(b, 'rtime', (d) => node('rtime', isoTime(d), 'requested renew-till')),
    ...ex.field(b, 'nonce', (n) => node('nonce', String(n), 'the reply must carry the same nonce')),
    ...ex.field(b, 'etype', (list) =>
      node('etype', list.map(etypeText).join(', '), 'enctypes the client accepts, preferred first'),
    ),
    ...ex.field(b, 'addresses', (list) => addressesNode('addresses', list, ex)),
    ...ex.field(b, 'encAuthorizationData', (ed) =>
      ex.encrypted(
        'enc-authorization-data',
        ed,
        [KeyUsage.TgsReqAuthDataSubkey, KeyUsage.TgsReqAuthDataSessionKey],
        'AuthorizationData',
      ),
    ),
    ...ex.field(b, 'additionalTickets', (list) =>
      node(
        'additional-tickets',
        String(list.length),
        evidence,
        list.map((t) => ex.value('ticket', t)),
      ),
    ),
  ]);
}

function kdcReq(v: KdcReq, ex: Explain): ExplainNode {
  const name = MESSAGE_TYPES.get(v.msgType);
  const b = v.reqBody;
  const target = b.sname ? formatPrincipal(b.sname, b.realm) : b.realm;
  const summary = b.cname ? `${formatPrincipal(b.cname, b.realm)} → ${target}` : `for ${target}`;
  return node(name?.name ?? `msg-type ${v.msgType}`, summary, name?.meaning, [
    ...ex.field(v, 'pvno', (n) => node('pvno', String(n))),
    ...ex.field(v, 'padata', (p) => ex.padata('padata', p, 'request')),
    ...ex.field(v, 'reqBody', (r) => reqBody(r, ex)),
  ]);
}

function kdcRep(v: KdcRep, ex: Explain): ExplainNode {
  const name = MESSAGE_TYPES.get(v.msgType);
  const as = v.msgType === MessageType.AS_REP;
  const usages = as
    ? [KeyUsage.AsRepEncPart]
    : [KeyUsage.TgsRepEncPartSubkey, KeyUsage.TgsRepEncPartSessionKey];
  const summary = `ticket ${formatPrincipal(v.ticket.sname, v.ticket.realm)} for ${formatPrincipal(v.cname, v.crealm)}`;
  return node(name?.name ?? `msg-type ${v.msgType}`, summary, name?.meaning, [
    ...ex.field(v, 'pvno', (n) => node('pvno', String(n))),
    ...ex.field(v, 'padata', (p) => ex.padata('padata', p, 'reply')),
    ...ex.field(v, 'cname', (n) =>
      principalNode('cname', n, v.crealm, 'the client the ticket names (after S4U2Self: the user)'),
    ),
    ...ex.field(v, 'ticket', (t) => ex.value('ticket', t)),
    ...ex.field(v, 'encPart', (ed) => ex.encrypted('enc-part', ed, usages, 'EncKdcRepPart')),
  ]);
}

function ticket(v: Ticket, ex: Explain): ExplainNode {
  return node('Ticket', formatPrincipal(v.sname, v.realm), undefined, [
    ...ex.field(v, 'tktVno', (n) => node('tkt-vno', String(n))),
    ...ex.field(v, 'sname', (n) => principalNode('sname', n, v.realm)),
    ...ex.field(v, 'encPart', (ed) =>
      ex.encrypted(
        'enc-part',
        ed,
        [KeyUsage.KdcRepTicket],
        'EncTicketPart',
        formatPrincipal(v.sname, v.realm),
      ),
    ),
  ]);
}

/** A ticket's starttime, endtime and renew-till (in EncTicketPart, EncKDCRepPart and KrbCredInfo alike). */
function validity(
  v: {
    readonly starttime?: Date | undefined;
    readonly endtime?: Date | undefined;
    readonly renewTill?: Date | undefined;
  },
  ex: Explain,
): ExplainNode[] {
  return [
    ...ex.field(v, 'starttime', (d) => node('starttime', isoTime(d))),
    ...ex.field(v, 'endtime', (d) => node('endtime', isoTime(d))),
    ...ex.field(v, 'renewTill', (d) => node('renew-till', isoTime(d))),
  ];
}

function encTicketPart(v: EncTicketPart, ex: Explain, c: KindContext): ExplainNode {
  const src: PacSource = c.key ? { encTicketPart: v, key: c.key } : { encTicketPart: v };
  return node(
    'EncTicketPart',
    formatPrincipal(v.cname, v.crealm),
    'what only the service (and the KDC) can read',
    [
      ...ex.flags(v, 'flags', 'flags', TICKET_FLAGS),
      ...ex.field(v, 'key', (k) =>
        keyNode('key', k, ex.opts, 'session key shared by the client and the service'),
      ),
      ...ex.field(v, 'cname', (n) => principalNode('cname', n, v.crealm)),
      ...ex.field(v, 'transited', (t) =>
        node('transited', t.contents.length === 0 ? 'none' : bytesText(t.contents), `tr-type ${t.trType}`),
      ),
      ...ex.field(v, 'authtime', (d) => node('authtime', isoTime(d), 'when the client first authenticated')),
      ...validity(v, ex),
      ...ex.field(v, 'caddr', (list) => addressesNode('caddr', list, ex)),
      ...ex.field(v, 'authorizationData', (ad) => authorizationDataNode('authorization-data', ad, ex, src)),
    ],
  );
}

function encKdcRepPart(v: EncKdcRepPart, ex: Explain): ExplainNode {
  return node('EncKDCRepPart', formatPrincipal(v.sname, v.srealm), "the client's copy of the ticket facts", [
    ...ex.field(v, 'key', (k) => keyNode('key', k, ex.opts, 'session key of the new ticket')),
    ...ex.field(v, 'lastReq', (list) =>
      node(
        'last-req',
        String(list.length),
        undefined,
        list.map((l) => ex.span(node(`lr-type ${l.lrType}`, isoTime(l.lrValue)), l)),
      ),
    ),
    ...ex.field(v, 'nonce', (n) => node('nonce', String(n), 'echoes the request nonce')),
    ...ex.field(v, 'keyExpiration', (d) => node('key-expiration', isoTime(d))),
    ...ex.flags(v, 'flags', 'flags', TICKET_FLAGS),
    ...ex.field(v, 'authtime', (d) => node('authtime', isoTime(d))),
    ...validity(v, ex),
    ...ex.field(v, 'sname', (n) => principalNode('sname', n, v.srealm)),
    ...ex.field(v, 'caddr', (list) => addressesNode('caddr', list, ex)),
    ...ex.field(v, 'encryptedPaData', (p) => ex.padata('encrypted-pa-data', p, 'reply')),
  ]);
}

function apReq(v: ApReq, ex: Explain, c: KindContext): ExplainNode {
  const usage = c.authenticatorUsage ?? KeyUsage.ApReqAuthenticator;
  return node(
    'AP-REQ',
    `ticket ${formatPrincipal(v.ticket.sname, v.ticket.realm)}`,
    MESSAGE_TYPES.get(MessageType.AP_REQ)?.meaning,
    [
      ...ex.flags(v, 'apOptions', 'ap-options', AP_OPTIONS),
      ...ex.field(v, 'ticket', (t) => ex.value('ticket', t)),
      ...ex.field(v, 'authenticator', (ed) => ex.encrypted('authenticator', ed, [usage], 'Authenticator')),
    ],
  );
}

function authenticator(v: Authenticator, ex: Explain): ExplainNode {
  return node(
    'Authenticator',
    formatPrincipal(v.cname, v.crealm),
    'proves the client holds the session key, now',
    [
      ...ex.field(v, 'cname', (n) => principalNode('cname', n, v.crealm)),
      ...ex.field(v, 'cksum', (k) =>
        node(
          'cksum',
          cksumText(k.cksumtype),
          'in a TGS-REQ: checksum of the req-body, binding this authenticator to it',
          ex.field(k, 'checksum', (b) => node('checksum', bytesText(b))),
        ),
      ),
      ...ex.field(v, 'ctime', (d) => node('ctime', isoTime(d), 'freshness: refused outside the clock skew')),
      ...ex.field(v, 'cusec', (n) => node('cusec', String(n))),
      ...ex.field(v, 'subkey', (k) =>
        keyNode('subkey', k, ex.opts, 'in a TGS-REQ the reply is encrypted in this key (usage 9)'),
      ),
      ...ex.field(v, 'seqNumber', (n) => node('seq-number', String(n))),
      ...ex.field(v, 'authorizationData', (ad) => authorizationDataNode('authorization-data', ad, ex)),
    ],
  );
}

/** The e-data's PA-DATA as decoded with spans when they are collected (decodeEData keeps none), else as given. */
function eDataPadata(v: KrbError, decoded: readonly PaData[], ex: Explain): readonly PaData[] {
  const tracked = v.eData === undefined ? undefined : ex.nested(v, 'eData');
  return tracked === undefined ? decoded : decodeMethodData(v.eData!, tracked);
}

function krbError(v: KrbError, ex: Explain): ExplainNode {
  const name = errorCodeName(v.errorCode);
  const step = ex.opts.step ?? (v.sname.nameString[0] === 'krbtgt' ? 'AS' : 'TGS');
  const eDataNode = (bytes: Uint8Array): ExplainNode => {
    const eData = decodeEData(bytes);
    if (eData.kind === 'method-data') return ex.padata('e-data', eDataPadata(v, eData.padata, ex), 'reply');
    if (eData.kind === 'typed-data')
      return node(
        'e-data',
        'TYPED-DATA',
        undefined,
        eData.entries.map((t) =>
          node(`data-type ${t.dataType}`, t.dataValue ? bytesText(t.dataValue) : 'none'),
        ),
      );
    return node('e-data', bytesText(eData.bytes));
  };
  return node('KRB-ERROR', `${name} (${v.errorCode})`, MESSAGE_TYPES.get(MessageType.KRB_ERROR)?.meaning, [
    ...ex.field(v, 'errorCode', (n) => node('error-code', `${name} (${n})`, hintFor(step, name))),
    ...ex.field(v, 'eText', (t) => node('e-text', JSON.stringify(t))),
    ...ex.field(v, 'stime', (d) => node('stime', isoTime(d), `KDC time; susec ${v.susec}`)),
    ...ex.field(v, 'ctime', (d) => node('ctime', isoTime(d))),
    ...ex.field(v, 'cname', (n) => principalNode('cname', n, v.crealm)),
    ...ex.field(v, 'sname', (n) => principalNode('sname', n, v.realm)),
    ...ex.field(v, 'eData', eDataNode),
  ]);
}

function krbCred(v: KrbCred, ex: Explain): ExplainNode {
  return node(
    'KRB-CRED',
    `${v.tickets.length} ticket${v.tickets.length === 1 ? '' : 's'}`,
    MESSAGE_TYPES.get(MessageType.KRB_CRED)?.meaning,
    [
      ...ex.field(v, 'tickets', (list) =>
        node(
          'tickets',
          String(list.length),
          undefined,
          list.map((t) => ex.value('ticket', t)),
        ),
      ),
      ...ex.field(v, 'encPart', (ed) =>
        ex.encrypted('enc-part', ed, [KeyUsage.KrbCredEncPart], 'EncKrbCredPart'),
      ),
    ],
  );
}

function credInfo(i: KrbCredInfo, ex: Explain): ExplainNode {
  const server = i.sname ? formatPrincipal(i.sname, i.srealm) : 'unnamed';
  return ex.span(
    node('ticket-info', server, undefined, [
      ...ex.field(i, 'key', (k) => keyNode('key', k, ex.opts, "the ticket's session key")),
      ...ex.field(i, 'pname', (n) => principalNode('pname', n, i.prealm)),
      ...ex.flags(i, 'flags', 'flags', TICKET_FLAGS),
      ...ex.field(i, 'authtime', (d) => node('authtime', isoTime(d))),
      ...validity(i, ex),
      ...ex.field(i, 'sname', (n) => principalNode('sname', n, i.srealm)),
      ...ex.field(i, 'caddr', (list) => addressesNode('caddr', list, ex)),
    ]),
    i,
  );
}

function encKrbCredPart(v: EncKrbCredPart, ex: Explain): ExplainNode {
  return node('EncKrbCredPart', `${v.ticketInfo.length} ticket-info`, undefined, [
    ...v.ticketInfo.map((i) => credInfo(i, ex)),
    ...ex.field(v, 'nonce', (n) => node('nonce', String(n))),
    ...ex.field(v, 'timestamp', (d) => node('timestamp', isoTime(d))),
  ]);
}

function encApRepPart(v: EncApRepPart, ex: Explain): ExplainNode {
  return node('EncAPRepPart', isoTime(v.ctime), 'echoes the authenticator time', [
    ...ex.field(v, 'ctime', (d) => node('ctime', isoTime(d))),
    ...ex.field(v, 'cusec', (n) => node('cusec', String(n))),
    ...ex.field(v, 'subkey', (k) => keyNode('subkey', k, ex.opts)),
    ...ex.field(v, 'seqNumber', (n) => node('seq-number', String(n))),
  ]);
}

function krbFastReq(v: KrbFastReq, ex: Explain): ExplainNode {
  return node('KrbFastReq', undefined, 'the request the KDC acts on: padata and req-body under the armor', [
    ...ex.flags(v, 'fastOptions', 'fast-options', FAST_OPTIONS),
    ...ex.field(v, 'padata', (p) => ex.padata('padata', p, 'request')),
    ...ex.field(v, 'reqBody', (b) => reqBody(b, ex)),
  ]);
}

function krbFastResponse(v: KrbFastResponse, ex: Explain): ExplainNode {
  return node('KrbFastResponse', undefined, "the KDC's armored padata and the keys that bind the reply", [
    ...ex.field(v, 'padata', (p) => ex.padata('padata', p, 'reply')),
    ...ex.field(v, 'strengthenKey', (k) =>
      keyNode(
        'strengthen-key',
        k,
        ex.opts,
        'the reply key becomes KRB-FX-CF2(strengthen-key, reply key, "strengthenkey", "replykey")',
      ),
    ),
    ...ex.field(v, 'finished', (x) =>
      node(
        'finished',
        isoTime(x.timestamp),
        'KrbFastFinished: binds the ticket and client name to the armor',
        [
          ...ex.field(x, 'usec', (n) => node('usec', String(n))),
          ...ex.field(x, 'cname', (n) => principalNode('cname', n, x.crealm)),
          ...ex.field(x, 'ticketChecksum', (k) =>
            node(
              'ticket-checksum',
              cksumText(k.cksumtype),
              `over the ticket, keyed with the armor key, usage ${KeyUsage.FastFinished}`,
              ex.field(k, 'checksum', (b) => node('checksum', bytesText(b))),
            ),
          ),
        ],
      ),
    ),
    ...ex.field(v, 'nonce', (n) => node('nonce', String(n), 'the request nonce')),
  ]);
}

/** Explainers by kind name: the message names, the encrypted-part kinds, and the Ticket. */
export const KIND_EXPLAINERS: ReadonlyMap<string, KindExplainer> = new Map<string, KindExplainer>([
  ['AS-REQ', kind(kdcReq)],
  ['TGS-REQ', kind(kdcReq)],
  ['AS-REP', kind(kdcRep)],
  ['TGS-REP', kind(kdcRep)],
  ['AP-REQ', kind(apReq)],
  [
    'AP-REP',
    kind<ApRep>((v, ex) =>
      node('AP-REP', undefined, MESSAGE_TYPES.get(MessageType.AP_REP)?.meaning, [
        ...ex.field(v, 'encPart', (ed) =>
          ex.encrypted('enc-part', ed, [KeyUsage.ApRepEncPart], 'EncApRepPart'),
        ),
      ]),
    ),
  ],
  ['KRB-ERROR', kind(krbError)],
  ['KRB-CRED', kind(krbCred)],
  ['Ticket', kind(ticket)],
  ['EncTicketPart', kind(encTicketPart)],
  ['EncKdcRepPart', kind(encKdcRepPart)],
  ['Authenticator', kind(authenticator)],
  ['EncApRepPart', kind(encApRepPart)],
  ['EncKrbCredPart', kind(encKrbCredPart)],
  [
    'PA-ENC-TS-ENC',
    kind<PaEncTsEnc>((v, ex) =>
      node('PA-ENC-TS-ENC', isoTime(v.patimestamp), "the client's clock, proving it knows the key", [
        ...ex.field(v, 'pausec', (u) => node('pausec', String(u))),
      ]),
    ),
  ],
  ['KrbFastReq', kind(krbFastReq)],
  ['KrbFastResponse', kind(krbFastResponse)],
  [
    'AuthorizationData',
    kind<AuthorizationData>((v, ex) =>
      node('AuthorizationData', `${v.length} elements`, undefined, adEntries(v, ex, undefined)),
    ),
  ],
] satisfies [string | PartKind, KindExplainer][]);
