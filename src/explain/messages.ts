/**
 * Explainers of the RFC 4120 structures, keyed by kind name: messages (KDC-REQ/REP, AP, KRB-ERROR, KRB-CRED),
 * tickets and their encrypted parts, authorization data with the PAC inside.
 */
import {
  type ApRep,
  type ApReq,
  type Authenticator,
  type AuthorizationData,
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
  type PaEncTsEnc,
  type Ticket,
} from '../asn1/index.js';
import { type Key, KeyUsage } from '../crypto/index.js';
import { hintFor } from '../messages/exchange-step.js';
import { decodeEData } from '../messages/kdc-error.js';
import { formatPrincipal } from '../messages/principal.js';
import { addresses, adEntries, authorizationData, opt, type PacSource, time } from './authdata.js';
import {
  bytesText,
  cksumText,
  type Explain,
  type ExplainNode,
  etypeText,
  flagsNode,
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
    flagsNode('kdc-options', KDC_OPTIONS, b.kdcOptions),
    ...opt(b.cname, (n) => principalNode('cname', n)),
    node('realm', b.realm),
    ...opt(b.sname, (n) => principalNode('sname', n, undefined, 'the service the ticket is for')),
    ...time('from', b.from),
    node('till', isoTime(b.till), 'requested end time'),
    ...time('rtime', b.rtime, 'requested renew-till'),
    node('nonce', String(b.nonce), 'the reply must carry the same nonce'),
    node('etype', b.etype.map(etypeText).join(', '), 'enctypes the client accepts, preferred first'),
    ...addresses('addresses', b.addresses),
    ...opt(b.encAuthorizationData, (ed) =>
      ex.encrypted(
        'enc-authorization-data',
        ed,
        [KeyUsage.TgsReqAuthDataSubkey, KeyUsage.TgsReqAuthDataSessionKey],
        'AuthorizationData',
      ),
    ),
    ...opt(b.additionalTickets, (list) =>
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
    node('pvno', String(v.pvno)),
    ...opt(v.padata, (p) => ex.padata('padata', p, 'request')),
    reqBody(b, ex),
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
    node('pvno', String(v.pvno)),
    ...opt(v.padata, (p) => ex.padata('padata', p, 'reply')),
    principalNode('cname', v.cname, v.crealm, 'the client the ticket names (after S4U2Self: the user)'),
    ex.value('ticket', v.ticket),
    ex.encrypted('enc-part', v.encPart, usages, 'EncKdcRepPart'),
  ]);
}

function ticket(v: Ticket, ex: Explain): ExplainNode {
  return node('Ticket', formatPrincipal(v.sname, v.realm), undefined, [
    node('tkt-vno', String(v.tktVno)),
    principalNode('sname', v.sname, v.realm),
    ex.encrypted(
      'enc-part',
      v.encPart,
      [KeyUsage.KdcRepTicket],
      'EncTicketPart',
      formatPrincipal(v.sname, v.realm),
    ),
  ]);
}

function encTicketPart(v: EncTicketPart, ex: Explain, c: KindContext): ExplainNode {
  const src: PacSource = c.key ? { encTicketPart: v, key: c.key } : { encTicketPart: v };
  return node(
    'EncTicketPart',
    formatPrincipal(v.cname, v.crealm),
    'what only the service (and the KDC) can read',
    [
      flagsNode('flags', TICKET_FLAGS, v.flags),
      keyNode('key', v.key, ex.opts, 'session key shared by the client and the service'),
      principalNode('cname', v.cname, v.crealm),
      node(
        'transited',
        v.transited.contents.length === 0 ? 'none' : bytesText(v.transited.contents),
        `tr-type ${v.transited.trType}`,
      ),
      node('authtime', isoTime(v.authtime), 'when the client first authenticated'),
      ...time('starttime', v.starttime),
      node('endtime', isoTime(v.endtime)),
      ...time('renew-till', v.renewTill),
      ...addresses('caddr', v.caddr),
      ...authorizationData('authorization-data', v.authorizationData, ex, src),
    ],
  );
}

function encKdcRepPart(v: EncKdcRepPart, ex: Explain): ExplainNode {
  return node('EncKDCRepPart', formatPrincipal(v.sname, v.srealm), "the client's copy of the ticket facts", [
    keyNode('key', v.key, ex.opts, 'session key of the new ticket'),
    node(
      'last-req',
      String(v.lastReq.length),
      undefined,
      v.lastReq.map((l) => node(`lr-type ${l.lrType}`, isoTime(l.lrValue))),
    ),
    node('nonce', String(v.nonce), 'echoes the request nonce'),
    ...time('key-expiration', v.keyExpiration),
    flagsNode('flags', TICKET_FLAGS, v.flags),
    node('authtime', isoTime(v.authtime)),
    ...time('starttime', v.starttime),
    node('endtime', isoTime(v.endtime)),
    ...time('renew-till', v.renewTill),
    principalNode('sname', v.sname, v.srealm),
    ...addresses('caddr', v.caddr),
    ...opt(v.encryptedPaData, (p) => ex.padata('encrypted-pa-data', p, 'reply')),
  ]);
}

function apReq(v: ApReq, ex: Explain, c: KindContext): ExplainNode {
  const usage = c.authenticatorUsage ?? KeyUsage.ApReqAuthenticator;
  return node(
    'AP-REQ',
    `ticket ${formatPrincipal(v.ticket.sname, v.ticket.realm)}`,
    MESSAGE_TYPES.get(MessageType.AP_REQ)?.meaning,
    [
      flagsNode('ap-options', AP_OPTIONS, v.apOptions),
      ex.value('ticket', v.ticket),
      ex.encrypted('authenticator', v.authenticator, [usage], 'Authenticator'),
    ],
  );
}

function authenticator(v: Authenticator, ex: Explain): ExplainNode {
  return node(
    'Authenticator',
    formatPrincipal(v.cname, v.crealm),
    'proves the client holds the session key, now',
    [
      principalNode('cname', v.cname, v.crealm),
      ...opt(v.cksum, (k) =>
        node(
          'cksum',
          cksumText(k.cksumtype),
          'in a TGS-REQ: checksum of the req-body, binding this authenticator to it',
          [node('checksum', bytesText(k.checksum))],
        ),
      ),
      node('ctime', isoTime(v.ctime), 'freshness: refused outside the clock skew'),
      node('cusec', String(v.cusec)),
      ...opt(v.subkey, (k) =>
        keyNode('subkey', k, ex.opts, 'in a TGS-REQ the reply is encrypted in this key (usage 9)'),
      ),
      ...opt(v.seqNumber, (n) => node('seq-number', String(n))),
      ...authorizationData('authorization-data', v.authorizationData, ex),
    ],
  );
}

function krbError(v: KrbError, ex: Explain): ExplainNode {
  const name = errorCodeName(v.errorCode);
  const step = ex.opts.step ?? (v.sname.nameString[0] === 'krbtgt' ? 'AS' : 'TGS');
  const eData = v.eData === undefined ? undefined : decodeEData(v.eData);
  const eDataNode = (): ExplainNode => {
    if (eData === undefined) return node('e-data', 'none');
    if (eData.kind === 'method-data') return ex.padata('e-data', eData.padata, 'reply');
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
    node('error-code', `${name} (${v.errorCode})`, hintFor(step, name)),
    ...opt(v.eText, (t) => node('e-text', JSON.stringify(t))),
    node('stime', isoTime(v.stime), `KDC time; susec ${v.susec}`),
    ...time('ctime', v.ctime),
    ...opt(v.cname, (n) => principalNode('cname', n, v.crealm)),
    principalNode('sname', v.sname, v.realm),
    ...(v.eData === undefined ? [] : [eDataNode()]),
  ]);
}

function krbCred(v: KrbCred, ex: Explain): ExplainNode {
  return node(
    'KRB-CRED',
    `${v.tickets.length} ticket${v.tickets.length === 1 ? '' : 's'}`,
    MESSAGE_TYPES.get(MessageType.KRB_CRED)?.meaning,
    [
      node(
        'tickets',
        String(v.tickets.length),
        undefined,
        v.tickets.map((t) => ex.value('ticket', t)),
      ),
      ex.encrypted('enc-part', v.encPart, [KeyUsage.KrbCredEncPart], 'EncKrbCredPart'),
    ],
  );
}

function credInfo(i: KrbCredInfo, ex: Explain): ExplainNode {
  const server = i.sname ? formatPrincipal(i.sname, i.srealm) : 'unnamed';
  return node('ticket-info', server, undefined, [
    keyNode('key', i.key, ex.opts, "the ticket's session key"),
    ...opt(i.pname, (n) => principalNode('pname', n, i.prealm)),
    ...opt(i.flags, (f) => flagsNode('flags', TICKET_FLAGS, f)),
    ...time('authtime', i.authtime),
    ...time('starttime', i.starttime),
    ...time('endtime', i.endtime),
    ...time('renew-till', i.renewTill),
    ...opt(i.sname, (n) => principalNode('sname', n, i.srealm)),
    ...addresses('caddr', i.caddr),
  ]);
}

function encKrbCredPart(v: EncKrbCredPart, ex: Explain): ExplainNode {
  return node('EncKrbCredPart', `${v.ticketInfo.length} ticket-info`, undefined, [
    ...v.ticketInfo.map((i) => credInfo(i, ex)),
    ...opt(v.nonce, (n) => node('nonce', String(n))),
    ...time('timestamp', v.timestamp),
  ]);
}

function encApRepPart(v: EncApRepPart, ex: Explain): ExplainNode {
  return node('EncAPRepPart', isoTime(v.ctime), 'echoes the authenticator time', [
    node('ctime', isoTime(v.ctime)),
    node('cusec', String(v.cusec)),
    ...opt(v.subkey, (k) => keyNode('subkey', k, ex.opts)),
    ...opt(v.seqNumber, (n) => node('seq-number', String(n))),
  ]);
}

function krbFastReq(v: KrbFastReq, ex: Explain): ExplainNode {
  return node('KrbFastReq', undefined, 'the request the KDC acts on: padata and req-body under the armor', [
    flagsNode('fast-options', FAST_OPTIONS, v.fastOptions),
    ex.padata('padata', v.padata, 'request'),
    reqBody(v.reqBody, ex),
  ]);
}

function krbFastResponse(v: KrbFastResponse, ex: Explain): ExplainNode {
  const f = v.finished;
  return node('KrbFastResponse', undefined, "the KDC's armored padata and the keys that bind the reply", [
    ex.padata('padata', v.padata, 'reply'),
    ...opt(v.strengthenKey, (k) =>
      keyNode(
        'strengthen-key',
        k,
        ex.opts,
        'the reply key becomes KRB-FX-CF2(strengthen-key, reply key, "strengthenkey", "replykey")',
      ),
    ),
    ...opt(f, (x) =>
      node(
        'finished',
        isoTime(x.timestamp),
        'KrbFastFinished: binds the ticket and client name to the armor',
        [
          node('usec', String(x.usec)),
          principalNode('cname', x.cname, x.crealm),
          node(
            'ticket-checksum',
            cksumText(x.ticketChecksum.cksumtype),
            `over the ticket, keyed with the armor key, usage ${KeyUsage.FastFinished}`,
            [node('checksum', bytesText(x.ticketChecksum.checksum))],
          ),
        ],
      ),
    ),
    node('nonce', String(v.nonce), 'the request nonce'),
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
        ex.encrypted('enc-part', v.encPart, [KeyUsage.ApRepEncPart], 'EncApRepPart'),
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
    kind<PaEncTsEnc>((v) =>
      node('PA-ENC-TS-ENC', isoTime(v.patimestamp), "the client's clock, proving it knows the key", [
        ...opt(v.pausec, (u) => node('pausec', String(u))),
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
