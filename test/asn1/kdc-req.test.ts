import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKdcReqBody, encodeKdcReqBody, encodeTgsReq, encodeTicket } from '../../src/asn1/index.js';
import { toHex } from '../../src/util/bytes.js';
import { kdcReqBody, tgsReq, ticket } from './arbitraries.js';

describe('TGS-REQ with its req-body as already encoded (RFC 4120 5.4.1)', () => {
  it('writes the given req-body DER: the same bytes as encoding the body again', () => {
    fc.assert(
      fc.property(tgsReq, (req) => {
        expect(toHex(encodeTgsReq(req, encodeKdcReqBody(req.reqBody)))).toBe(toHex(encodeTgsReq(req)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('KDC-REQ-BODY with additional tickets as received (RFC 4120 5.4.1)', () => {
  it('writes each given ticket DER in place of re-encoding that ticket, byte for byte', () => {
    fc.assert(
      fc.property(kdcReqBody, ticket, ticket, (body, first, other) => {
        const withTickets = { ...body, additionalTickets: [first, first] };
        // The DER given for ticket 0 wins over its decoded value; ticket 1 has none and is encoded.
        const der = encodeTicket(other);
        const out = encodeKdcReqBody(withTickets, [der]);
        expect(toHex(out)).toContain(toHex(der));
        expect(decodeKdcReqBody(out)).toEqual({ ...withTickets, additionalTickets: [other, first] });
        expect(encodeKdcReqBody(withTickets, [new Uint8Array(0)])).toEqual(encodeKdcReqBody(withTickets));
      }),
      { numRuns: 200 },
    );
  });
});
