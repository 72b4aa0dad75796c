import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeApReq, encodeApReq, encodeTicket } from '../../src/asn1/index.js';
import { toHex } from '../../src/util/bytes.js';
import { apReq, ticket } from './arbitraries.js';

describe('AP-REQ with the ticket as received (RFC 4120 5.5.1)', () => {
  it('writes the given ticket DER in place of re-encoding the ticket value, byte for byte', () => {
    fc.assert(
      fc.property(apReq, ticket, (req, other) => {
        // The DER given wins over the decoded value: what goes out is what the KDC sent.
        const der = encodeTicket(other);
        const out = encodeApReq(req, der);
        expect(toHex(out)).toContain(toHex(der));
        expect(decodeApReq(out)).toEqual({ ...req, ticket: other });
      }),
      { numRuns: 200 },
    );
  });

  it('without ticket DER (or with an empty one) encodes the ticket value', () => {
    fc.assert(
      fc.property(apReq, (req) => {
        expect(encodeApReq(req, new Uint8Array(0))).toEqual(encodeApReq(req));
        expect(decodeApReq(encodeApReq(req))).toEqual(req);
      }),
      { numRuns: 100 },
    );
  });
});
