import { describe, expect, it } from 'vitest';
import { PacDecodeError } from '../../src/errors.js';
import { decodeDelegationInfo } from '../../src/pac/delegation-info.js';
import { decodePac } from '../../src/pac/pac.js';
import { openTicket, ticketCases } from './helpers.js';
import { encodeDelegationInfo } from './ndr-writer.js';

describe('S4U_DELEGATION_INFO (MS-PAC 2.9)', () => {
  it.each(ticketCases.filter((c) => c.name.startsWith('s4u2proxy')))(
    '$name: names the target and the front service',
    (c) => {
      expect(decodePac(openTicket(c).pacBytes).delegationInfo).toEqual({
        s4u2proxyTarget: 'sql/mysql.acme.com',
        s4uTransitedServices: ['apache@ACME.COM'],
      });
    },
  );

  it.each(ticketCases.filter((c) => !c.name.startsWith('s4u2proxy')))('$name: has none', (c) => {
    expect(decodePac(openTicket(c).pacBytes).delegationInfo).toBeUndefined();
  });

  it('a chain of transited services, in order', () => {
    const path = ['web@EXAMPLE.COM', 'app@EXAMPLE.COM', 'api@EXAMPLE.COM'];
    expect(decodeDelegationInfo(encodeDelegationInfo('cifs/file.example.com', path))).toEqual({
      s4u2proxyTarget: 'cifs/file.example.com',
      s4uTransitedServices: path,
    });
  });

  it('rejects a TransitedListSize that disagrees with the array', () => {
    const bytes = encodeDelegationInfo('cifs/f', ['a@B', 'c@D']);
    // TransitedListSize follows the 8-byte RPC_UNICODE_STRING at offset 20.
    new DataView(bytes.buffer).setUint32(28, 3, true);
    expect(() => decodeDelegationInfo(bytes)).toThrow(PacDecodeError);
  });
});
