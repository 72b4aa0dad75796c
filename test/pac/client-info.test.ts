import { describe, expect, it } from 'vitest';
import { PacDecodeError } from '../../src/errors.js';
import { checkClientInfo, decodeClientInfo } from '../../src/pac/client-info.js';
import { fileTimeToDate } from '../../src/pac/ndr.js';
import { decodePac } from '../../src/pac/pac.js';
import { fromHex } from '../../src/util/bytes.js';
import { openTicket, savedPac, savedPac2, savedPac2Bytes, savedPacBytes, ticketCases } from './helpers.js';
import { encodeClientInfo } from './ndr-writer.js';

describe('PAC_CLIENT_INFO (MS-PAC 2.7)', () => {
  it.each([
    ['saved_pac', savedPacBytes, savedPac],
    ['saved_pac2', savedPac2Bytes, savedPac2],
  ])('%s: the name and authtime Heimdal checks', (_name, bytes, vector) => {
    const info = decodePac(bytes).clientInfo!;
    expect(info.name).toBe(vector.clientName);
    expect(fileTimeToDate(info.clientId)).toEqual(new Date(vector.authtime * 1000));
  });

  it.each([
    ['odd NameLength', '0000000000000000 0300 410042'],
    ['NameLength past the end', '0000000000000000 0600 41004200'],
    ['bytes after the name', '0000000000000000 0200 41004200'],
    ['no room for the header', '00000000'],
  ])('rejects %s', (_name, hex) => {
    expect(() => decodeClientInfo(fromHex(hex))).toThrow(PacDecodeError);
  });
});

describe('PAC_CLIENT_INFO as Windows writes it', () => {
  it('a trailing NUL counted in NameLength is not part of the name', () => {
    expect(decodeClientInfo(encodeClientInfo(1n, 'alice\0')).name).toBe('alice');
    expect(decodeClientInfo(encodeClientInfo(1n, 'a\0b')).name).toBe('a\0b');
  });
});

describe('checkClientInfo (MS-KILE 3.4.5.3)', () => {
  const pac = decodePac(savedPacBytes);
  const authtime = new Date(savedPac.authtime * 1000);

  it('saved_pac: matches its authtime and client', () => {
    expect(checkClientInfo(pac, { authtime, clientName: savedPac.clientName }).status).toBe('valid');
  });

  it.each(ticketCases)('$name: matches the ticket it came in', (c) => {
    const { encTicketPart, pacBytes } = openTicket(c);
    const ticket = { authtime: encTicketPart.authtime, clientName: encTicketPart.cname.nameString.join('/') };
    expect(checkClientInfo(decodePac(pacBytes), ticket).status).toBe('valid');
  });

  it.each([
    ['another client', { authtime, clientName: 'administrator' }],
    [
      'another authtime',
      { authtime: new Date((savedPac.authtime + 1) * 1000), clientName: savedPac.clientName },
    ],
  ])('%s: invalid', (_name, ticket) => {
    expect(checkClientInfo(pac, ticket).status).toBe('invalid');
  });

  it('no client info: not checkable', () => {
    const { clientInfo: _, ...without } = pac;
    expect(checkClientInfo(without, { authtime, clientName: 'x' }).status).toBe('not-checkable');
  });
});
