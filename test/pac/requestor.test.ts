import { describe, expect, it } from 'vitest';
import { PacDecodeError } from '../../src/errors.js';
import { decodePac } from '../../src/pac/pac.js';
import { decodeRequestor } from '../../src/pac/requestor.js';
import { fromHex } from '../../src/util/bytes.js';
import { extraLogonInfoBytes } from './helpers.js';

describe('PAC_REQUESTOR (MS-PAC 2.15)', () => {
  it("extra_logon_info: the requestor is the client's own SID", () => {
    expect(decodePac(extraLogonInfoBytes).requestor).toEqual({
      sid: 'S-1-5-21-2140317089-1002772777-95442619-1101',
    });
  });

  it('rejects trailing bytes after the SID', () => {
    expect(() => decodeRequestor(fromHex('010100000000000512000000 00'))).toThrow(PacDecodeError);
  });
});
