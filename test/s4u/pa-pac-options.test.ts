import { describe, expect, it } from 'vitest';
import { decodePaPacOptions, PaDataType } from '../../src/asn1/index.js';
import { makePaPacOptionsRbcd } from '../../src/s4u/index.js';
import { toHex } from '../../src/util/bytes.js';

describe('PA-PAC-OPTIONS (MS-SFU 2.2.5)', () => {
  it('asks resource-based constrained delegation: the RBCD bit only (MS-KILE 2.2.10 bit 3)', () => {
    const pa = makePaPacOptionsRbcd();
    expect(pa.padataType).toBe(PaDataType.PAC_OPTIONS);
    // SEQUENCE { [0] BIT STRING 0x10000000 }: KerberosFlags are 32 bits, bit 3 from the left.
    expect(toHex(pa.padataValue)).toBe('3009a00703050010000000');
    expect(decodePaPacOptions(pa.padataValue).flags.resourceBasedConstrainedDelegation).toBe(true);
  });
});
