/**
 * Parity with MIT: the S4U2Self and S4U2Proxy TGS-REQs of MIT `kvno -U alice -P cifs/file.mit.test` (run as the web
 * service after `kinit -k`) and of tskrb's DelegationClient, both captured by a loopback recording proxy in front of
 * the MIT lab KDC and decoded with src/asn1 (test/interop/s4u-parity-capture.ts).
 *
 * MIT 1.20 armors its TGS requests with FAST (PA-FX-FAST, padata 136) when the KDC offers it; tskrb armors them
 * when asked (`fast: 'required'`), so tskrb runs both ways. The capture opens every armor (implicit TGS armor), so
 * padata types and KDC options are compared outside the armor, inside it, and as their union, PA-FX-FAST aside.
 *
 * Seen on MIT 1.20.1: S4U2Self outer padata PA-TGS-REQ, PA-S4U-X509-USER, PA-FOR-USER (tskrb: PA-FOR-USER before
 * PA-S4U-X509-USER; order carries no meaning to a KDC, so sets are compared), both S4U padata repeated inside the
 * armor; S4U2Proxy outer PA-TGS-REQ, PA-PAC-OPTIONS, the latter repeated inside. tskrb armored keeps the S4U padata
 * inside only. KDC options differ only in `renewable` (MIT copies it from its renewable TGT).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PaDataType } from '../../src/asn1/index.js';
import { labOrStandIn, mitLab } from '../helpers/lab.js';
import { captureParity, type ParityCapture, padataUnion } from './s4u-parity-capture.js';

const PA_TGS_REQ = PaDataType.TGS_REQ;
const lab = mitLab;
const STEPS = [
  { step: 'S4U2Self', i: 0 },
  { step: 'S4U2Proxy', i: 1 },
];

describe.skipIf(!lab)(
  `MIT parity: S4U TGS-REQs of kvno -U -P and tskrb${lab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(lab);
    let c: ParityCapture;

    beforeAll(async () => {
      c = await captureParity(L, L.principals['web']!, 'alice', 'cifs/file.mit.test');
    });

    it('MIT kvno -U -P sends two TGS-REQs, S4U2Self then S4U2Proxy, armored with FAST', () => {
      expect(c.mit.map((s) => s.sname)).toEqual(['HTTP/web.mit.test', 'cifs/file.mit.test']);
      expect(c.mit.map((s) => s.armored)).toEqual([true, true]);
      expect(c.mit[1]!.additionalTickets).toBe(1);
    });

    it('tskrb sends the same two TGS-REQs, unarmored by default', () => {
      for (const t of [c.tskrbOwnTgt, c.tskrbMitTgt]) {
        expect(t.map((s) => s.sname)).toEqual(['HTTP/web.mit.test', 'cifs/file.mit.test']);
        expect(t.map((s) => s.armored)).toEqual([false, false]);
        expect(t[1]!.additionalTickets).toBe(1);
      }
    });

    it.each(STEPS)(
      '$step: the same padata types as MIT (outside and inside its FAST armor), PA-FX-FAST aside',
      ({ i }) => {
        const m = c.mit[i]!;
        for (const t of [c.tskrbOwnTgt[i]!, c.tskrbMitTgt[i]!]) {
          expect(padataUnion(t)).toEqual(padataUnion(m));
          // MIT keeps the S4U padata outside the armor too (so a KDC that does not open FAST still sees them):
          // unarmored, tskrb's outer padata is that same set.
          expect([...t.outer].sort()).toEqual([...m.outer].sort());
        }
      },
    );

    it.each(STEPS)(
      '$step: the same KDC options as MIT, `renewable` aside (MIT copies it from a renewable TGT)',
      ({ i }) => {
        // MIT's TGS request carries the TGT's forwardable/proxiable/may-postdate/renewable flags as options
        // (KDC_TKT_COMMON_MASK in get_creds.c); kinit's TGT is renewable here, so MIT also asks for `renewable`.
        // tskrb's S4U requests ask for forwardable only: `renewable` is the one difference allowed.
        expect(c.mitTgt.flags.renewable).toBe(true);
        for (const t of [c.tskrbOwnTgt[i]!, c.tskrbMitTgt[i]!]) {
          expect(c.mit[i]!.options.filter((o) => !t.options.includes(o) && o !== 'renewable')).toEqual([]);
          expect(t.options.filter((o) => !c.mit[i]!.options.includes(o))).toEqual([]);
        }
      },
    );

    it.each(STEPS)('$step: the same enctypes, in the same order, as MIT with the lab krb5.conf', ({ i }) => {
      expect(c.tskrbOwnTgt[i]!.etypes).toEqual(c.mit[i]!.etypes);
    });

    it.each(STEPS)(
      '$step with FAST required: armored like MIT, the same padata inside the armor, the same options, `renewable` aside',
      ({ i }) => {
        const m = c.mit[i]!;
        const t = c.tskrbFast[i]!;
        expect(t.armored).toBe(true);
        expect([...t.inner].sort()).toEqual([...m.inner].sort());
        // MIT also repeats the S4U padata outside the armor; tskrb keeps them inside only (RFC 6113: the KDC
        // takes the padata of the armored KrbFastReq), so its outer padata is PA-TGS-REQ alone.
        expect([...m.outer].sort()).toEqual([PA_TGS_REQ, ...m.inner].sort());
        expect(t.outer).toEqual([PA_TGS_REQ]);
        expect(m.options.filter((o) => !t.options.includes(o) && o !== 'renewable')).toEqual([]);
        expect(t.options.filter((o) => !m.options.includes(o))).toEqual([]);
      },
    );
  },
);
