import { describe, expect, it } from 'vitest';
import { decodePaForUser, NameType, PaDataType } from '../../src/asn1/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { ChecksumType, verifyChecksum } from '../../src/crypto/index.js';
import { KerberosError } from '../../src/errors.js';
import { forUserChecksumData, s4u2proxy, s4u2self } from '../../src/s4u/index.js';
import { BACK_KEY, frontTgt, MiniKdc, miniClock, OTHER, REALM, text } from './mini-kdc.js';

const client = (kdc: MiniKdc) => new KdcClient({ realm: REALM, transport: kdc, clock: miniClock });

describe('cross-realm S4U (MS-SFU 3.1.5.1.1.2), against the in-memory two-realm TGS', () => {
  it('S4U2Self for carol@OTHER.TEST: cross-realm TGT, S4U2Self to OTHER.TEST, then with its referral TGT home', async () => {
    const kdc = new MiniKdc();
    const r = await s4u2self(client(kdc), frontTgt(), `carol@${OTHER}`);
    expect(
      kdc.seen.map((x) => `${x.req.reqBody.realm} ${x.req.reqBody.sname!.nameString.join('/')}`),
    ).toEqual([`${REALM} krbtgt/${OTHER}`, `${OTHER} HTTP/web.unit.test`, `${REALM} HTTP/web.unit.test`]);
    for (const hop of kdc.seen.slice(1)) {
      // Host-based service name, so that the user's KDC can refer the request home.
      expect(hop.req.reqBody.sname!.nameType).toBe(NameType.NT_SRV_HST);
      expect(hop.padataTypes).toEqual([PaDataType.TGS_REQ, PaDataType.FOR_USER, PaDataType.S4U_X509_USER]);
      // PA-FOR-USER is keyed with the session key of the TGT presented at that hop.
      const fu = decodePaForUser(hop.req.padata!.find((p) => p.padataType === 129)!.padataValue);
      const data = forUserChecksumData({ realm: fu.userRealm, name: fu.userName });
      const session = hop.authenticatorKey;
      expect(verifyChecksum(ChecksumType.HMAC_MD5, session, 17, data, fu.cksum.checksum)).toBe(true);
    }
    expect(text(r.user)).toBe(`carol@${OTHER}`);
    expect(r.userCheck?.status).toBe('verified');
  });

  it('a referral loop ends with a KerberosError', async () => {
    const kdc = new MiniKdc({ referForever: true });
    await expect(s4u2self(client(kdc), frontTgt(), `carol@${OTHER}`)).rejects.toThrow(KerberosError);
    await expect(
      s4u2self(client(new MiniKdc({ referForever: true })), frontTgt(), `carol@${OTHER}`),
    ).rejects.toThrow(/more than 8 referrals/);
  });

  it('S4U2Proxy to a service of OTHER.TEST: the home KDC refers, the referral TGT is the evidence over there', async () => {
    const kdc = new MiniKdc();
    const c = client(kdc);
    const tgt = frontTgt();
    const self = await s4u2self(c, tgt, 'alice');
    const r = await s4u2proxy(c, tgt, self, `cifs/file.other.test@${OTHER}`, { serviceKeys: [BACK_KEY] });
    const hops = kdc.seen.slice(1);
    expect(hops.map((x) => `${x.req.reqBody.realm} ${x.req.reqBody.sname!.nameString.join('/')}`)).toEqual([
      `${REALM} cifs/file.other.test`,
      `${REALM} krbtgt/${OTHER}`,
      `${OTHER} cifs/file.other.test`,
    ]);
    // First hop: the S4U2Self ticket; last hop: the referral TGT the home KDC issued, with the cross-realm TGT.
    expect(hops[0]!.req.reqBody.additionalTickets![0]).toEqual(self.ticket);
    const last = hops[2]!.req.reqBody;
    expect(last.kdcOptions.cnameInAddlTkt).toBe(true);
    expect(last.additionalTickets![0]!.sname.nameString).toEqual(['krbtgt', OTHER]);
    expect(text(r.user)).toBe(`alice@${REALM}`);
    expect(text(r.service)).toBe(`cifs/file.other.test@${OTHER}`);
    expect(r.ticketPart?.cname.nameString).toEqual(['alice']);
  });
});
