/**
 * Parity with MIT's client against the Samba 4.22 AD DC: the S4U2Self and S4U2Proxy TGS-REQs of MIT
 * `kvno -U alice -P cifs/file.samba.test` (as websvc after `kinit -k`) and of tskrb's DelegationClient, captured by a
 * loopback recording proxy (test/interop/s4u-parity-capture.ts). Samba offers FAST, so MIT armors both requests;
 * tskrb runs unarmored and with FAST required; the capture opens every armor and compares with PA-FX-FAST (136)
 * left out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PaDataType } from '../../src/asn1/index.js';
import { labOrStandIn, sambaLab } from '../helpers/lab.js';
import { captureParity, type ParityCapture, padataUnion } from './s4u-parity-capture.js';

const PA_TGS_REQ = PaDataType.TGS_REQ;
const lab = sambaLab;
const STEPS = [
  { step: 'S4U2Self', i: 0 },
  { step: 'S4U2Proxy', i: 1 },
];

describe.skipIf(!lab)(
  `Samba parity: S4U TGS-REQs of MIT kvno -U -P and tskrb${lab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(lab);
    let c: ParityCapture;

    beforeAll(async () => {
      c = await captureParity(L, L.principals['websvc']!, 'alice', 'cifs/file.samba.test');
    });

    it('both send S4U2Self to websvc then S4U2Proxy to cifs/file.samba.test; MIT armors them with FAST, tskrb by default not', () => {
      for (const t of [c.mit, c.tskrbOwnTgt, c.tskrbMitTgt]) {
        expect(t.map((s) => s.sname)).toEqual(['websvc', 'cifs/file.samba.test']);
        expect(t[1]!.additionalTickets).toBe(1);
      }
      expect(c.mit.map((s) => s.armored)).toEqual([true, true]);
      expect(c.tskrbOwnTgt.map((s) => s.armored)).toEqual([false, false]);
    });

    it.each(STEPS)(
      '$step: the same padata types as MIT (PA-PAC-OPTIONS for RBCD included), PA-FX-FAST aside',
      ({ i }) => {
        for (const t of [c.tskrbOwnTgt[i]!, c.tskrbMitTgt[i]!]) {
          expect(padataUnion(t)).toEqual(padataUnion(c.mit[i]!));
          expect([...t.outer].sort()).toEqual([...c.mit[i]!.outer].sort());
        }
      },
    );

    it.each(STEPS)(
      '$step: the same KDC options as MIT, `renewable` aside (MIT copies it from its renewable TGT)',
      ({ i }) => {
        expect(c.mitTgt.flags.renewable).toBe(true);
        for (const t of [c.tskrbOwnTgt[i]!, c.tskrbMitTgt[i]!]) {
          expect(c.mit[i]!.options.filter((o) => !t.options.includes(o) && o !== 'renewable')).toEqual([]);
          expect(t.options.filter((o) => !c.mit[i]!.options.includes(o))).toEqual([]);
        }
      },
    );

    it.each(STEPS)("$step: tskrb asks for a subset of MIT's enctypes, in MIT's order", ({ i }) => {
      // The Samba lab krb5.conf sets no enctype lists, so MIT offers its defaults (des3, camellia too).
      const mitOrder = c.mit[i]!.etypes;
      const ours = c.tskrbOwnTgt[i]!.etypes;
      expect(ours.every((e) => mitOrder.includes(e))).toBe(true);
      expect([...ours].sort((a, b) => mitOrder.indexOf(a) - mitOrder.indexOf(b))).toEqual(ours);
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
