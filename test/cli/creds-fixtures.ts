/** A keytab and a ccache for the CLI tests, written with the creds codecs around the vector TGT. */

import { encodeEncKrbCredPart, encodeKrbCred, MessageType } from '../../src/asn1/index.js';
import { type Credential, serializeCcache, serializeKeytab } from '../../src/creds/index.js';
import { krbtgtKey, krbtgtPacKey, openVector, REALM, serviceKey, ticketBytes } from './fixtures.js';

const krbtgt = { realm: REALM, nameType: 2, components: ['krbtgt', REALM] };
const apache = { realm: REALM, nameType: 1, components: ['apache'] };
const stamp = new Date('2021-08-15T00:00:00Z');

/** A keytab with the krbtgt keys (aes256 and the rc4 PAC key) and apache's key. */
export function labKeytab(): Uint8Array {
  return serializeKeytab({
    version: 0x502,
    entries: [
      {
        principal: krbtgt,
        timestamp: stamp,
        kvno: 2,
        key: { etype: krbtgtKey.etype, bytes: krbtgtKey.bytes },
      },
      {
        principal: krbtgt,
        timestamp: stamp,
        kvno: 2,
        key: { etype: krbtgtPacKey.etype, bytes: krbtgtPacKey.bytes },
      },
      {
        principal: apache,
        timestamp: stamp,
        kvno: 2,
        key: { etype: serviceKey.etype, bytes: serviceKey.bytes },
      },
    ],
  });
}

/** apache's ccache holding its TGT (the vector ticket) with the real session key, and one config entry. */
export function tgtCcache(): Uint8Array {
  const { part } = openVector('tgt_ticket', krbtgtKey);
  const cred: Credential = {
    client: apache,
    server: krbtgt,
    key: { etype: part.key.keytype, bytes: part.key.keyvalue },
    authtime: part.authtime,
    ...(part.starttime ? { starttime: part.starttime } : {}),
    endtime: part.endtime,
    ...(part.renewTill ? { renewTill: part.renewTill } : {}),
    isSkey: false,
    flags: 0x40e10000,
    addresses: [],
    authdata: [],
    ticket: ticketBytes('tgt_ticket'),
    secondTicket: new Uint8Array(0),
  };
  const config: Credential = {
    ...cred,
    server: {
      realm: 'X-CACHECONF:',
      nameType: 0,
      components: ['krb5_ccache_conf_data', 'fast_avail', `krbtgt/${REALM}@${REALM}`],
    },
    key: { etype: 0, bytes: new Uint8Array(0) },
    flags: 0,
    ticket: new TextEncoder().encode('yes'),
  };
  return serializeCcache({
    version: 0x504,
    otherHeaderFields: [],
    defaultPrincipal: apache,
    credentials: [cred, config],
  });
}

/** A kirbi: KRB-CRED with the TGT and its session key, enc-part in the clear (etype 0) as Windows tools write it. */
export function tgtKirbi(): Uint8Array {
  const { ticket, part } = openVector('tgt_ticket', krbtgtKey);
  const enc = encodeEncKrbCredPart({
    ticketInfo: [
      {
        key: part.key,
        prealm: REALM,
        pname: { nameType: 1, nameString: ['apache'] },
        flags: part.flags,
        endtime: part.endtime,
        srealm: REALM,
        sname: ticket.sname,
      },
    ],
  });
  return encodeKrbCred({
    pvno: 5,
    msgType: MessageType.KRB_CRED,
    tickets: [ticket],
    encPart: { etype: 0, cipher: enc },
  });
}
