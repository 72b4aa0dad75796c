import { describe, expect, it } from 'vitest';
import { decodePaForUser, NameType, PaDataType } from '../../src/asn1/index.js';
import { s4u2proxy, s4u2self } from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { ChecksumType, verifyChecksum } from '../../src/crypto/index.js';
import { KerberosError } from '../../src/errors.js';
import { forUserChecksumData } from '../../src/s4u/index.js';
import { BACK, BACK_KEY, frontTgt, MiniKdc, miniClock, OTHER, REALM, text } from '../s4u/mini-kdc.js';

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

  it('a referral loop ends with a KerberosError after the default 8 referrals', async () => {
    const kdc = new MiniKdc({ referForever: true });
    await expect(s4u2self(client(kdc), frontTgt(), `carol@${OTHER}`)).rejects.toThrow(KerberosError);
    // The cross-realm TGT, then the first S4U2Self request and 8 referrals.
    expect(kdc.seen).toHaveLength(1 + 1 + 8);
    await expect(
      s4u2self(client(new MiniKdc({ referForever: true })), frontTgt(), `carol@${OTHER}`),
    ).rejects.toThrow(/S4U2Self: referral loop limit \(8\) reached for HTTP\/web\.unit\.test@UNIT\.TEST/);
  });

  it.each([0, 1, 3])('S4U2Self follows at most the client maxReferrals (%i) referrals', async (max) => {
    const kdc = new MiniKdc({ referForever: true });
    const c = new KdcClient({ realm: REALM, transport: kdc, clock: miniClock, maxReferrals: max });
    await expect(s4u2self(c, frontTgt(), 'alice')).rejects.toThrow(
      new RegExp(`S4U2Self: referral loop limit \\(${max}\\)`),
    );
    expect(kdc.seen.map((x) => x.padataTypes.includes(PaDataType.FOR_USER))).toEqual(
      Array.from({ length: max + 1 }, () => true),
    );
  });

  it.each([0, 1, 3])('S4U2Proxy follows at most the client maxReferrals (%i) referrals', async (max) => {
    const kdc = new MiniKdc();
    const c = new KdcClient({ realm: REALM, transport: kdc, clock: miniClock, maxReferrals: max });
    const tgt = frontTgt();
    const self = await s4u2self(c, tgt, 'alice');
    kdc.behaviour = { referForever: true };
    kdc.seen.length = 0;
    await expect(s4u2proxy(c, tgt, self, BACK)).rejects.toThrow(
      new RegExp(`S4U2Proxy: referral loop limit \\(${max}\\) reached for cifs/file\\.unit\\.test@${REALM}`),
    );
    // Each S4U2Proxy request but the first follows a cross-realm TGS for the referral realm's krbtgt.
    const proxies = kdc.seen.filter((x) => x.req.reqBody.kdcOptions.cnameInAddlTkt === true);
    expect(proxies).toHaveLength(max + 1);
    expect(kdc.seen).toHaveLength(2 * max + 1);
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
