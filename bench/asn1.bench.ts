/** ASN.1 codec cost on the hot path: S4U2Self TGS-REQ encode and TGS-REP (1.5 KiB ticket) decode. */
import { bench, describe } from 'vitest';
import {
  decodeTgsRep,
  encodeApReq,
  encodePaForUser,
  encodePaPacOptions,
  encodeTgsRep,
  encodeTgsReq,
  NameType,
  PaDataType,
  type Ticket,
} from '../src/asn1/index.js';

const filled = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 0xff);
const realm = 'EXAMPLE.COM';
const service = { nameType: NameType.NT_PRINCIPAL, nameString: ['HTTP', 'web.example.com'] };
const tgt: Ticket = {
  tktVno: 5,
  realm,
  sname: { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', realm] },
  encPart: { etype: 18, kvno: 2, cipher: filled(1100) },
};
const till = new Date(Date.UTC(2026, 0, 1, 10, 0, 0));
const authenticatorCipher = filled(190);
const forUserChecksum = filled(16);

/** What the messages layer does for S4U2Self: encode the padata values, then the TGS-REQ. */
function encodeS4u2SelfTgsReq(): Uint8Array {
  const apReq = encodeApReq({
    pvno: 5,
    msgType: 14,
    apOptions: {},
    ticket: tgt,
    authenticator: { etype: 18, cipher: authenticatorCipher },
  });
  const forUser = encodePaForUser({
    userName: { nameType: NameType.NT_ENTERPRISE, nameString: ['alice@example.com'] },
    userRealm: realm,
    cksum: { cksumtype: -138, checksum: forUserChecksum },
    authPackage: 'Kerberos',
  });
  const pacOptions = encodePaPacOptions({ flags: { claims: true, branchAware: true } });
  return encodeTgsReq({
    pvno: 5,
    msgType: 12,
    padata: [
      { padataType: PaDataType.TGS_REQ, padataValue: apReq },
      { padataType: PaDataType.FOR_USER, padataValue: forUser },
      { padataType: PaDataType.PAC_OPTIONS, padataValue: pacOptions },
    ],
    reqBody: {
      kdcOptions: { forwardable: true, renewable: true, canonicalize: true },
      realm,
      sname: service,
      till,
      nonce: 0x1234567,
      etype: [18, 17, 20, 19, 23],
    },
  });
}

const tgsRep = encodeTgsRep({
  pvno: 5,
  msgType: 13,
  crealm: realm,
  cname: { nameType: NameType.NT_ENTERPRISE, nameString: ['alice@example.com'] },
  ticket: { tktVno: 5, realm, sname: service, encPart: { etype: 18, kvno: 3, cipher: filled(1536) } },
  encPart: { etype: 18, cipher: filled(330) },
});

describe('asn1', () => {
  bench(`encode S4U2Self TGS-REQ (${encodeS4u2SelfTgsReq().length} bytes)`, () => {
    encodeS4u2SelfTgsReq();
  });
  bench(`decode TGS-REP with a 1.5 KiB ticket (${tgsRep.length} bytes)`, () => {
    decodeTgsRep(tgsRep);
  });
});
