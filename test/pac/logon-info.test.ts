import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupAttribute, UserFlag } from '../../src/pac/constants.js';
import { decodeLogonInfo } from '../../src/pac/logon-info.js';
import { decodePac } from '../../src/pac/pac.js';
import { fromHex } from '../../src/util/bytes.js';
import { gokrb5, savedPac2Bytes, savedPacBytes } from './helpers.js';
import { encodeValidationInfo } from './ndr-writer.js';

describe('KERB_VALIDATION_INFO (MS-PAC 2.5)', () => {
  it('saved_pac (Windows 2003, a machine account)', () => {
    const info = decodePac(savedPacBytes).logonInfo!;
    expect(info).toMatchObject({
      logonTime: 0x01c57d4fcba6df30n,
      logoffTime: 0x7fffffffffffffffn,
      effectiveName: 'W2003FINAL$',
      fullName: '',
      logonCount: 101,
      userId: 1005,
      primaryGroupId: 516,
      groupIds: [{ relativeId: 516, attributes: 7 }],
      userFlags: UserFlag.ExtraSids,
      logonServer: 'W2003FINAL',
      logonDomainName: 'WIN2K3THINK',
      logonDomainId: 'S-1-5-21-3048156945-3961193616-3706469200',
      extraSids: [{ sid: 'S-1-5-9', attributes: 7 }],
      resourceGroupDomainSid: null,
      resourceGroupIds: [],
    });
    expect(info.userSessionKey).toEqual(new Uint8Array(16));
  });

  it('saved_pac2 (a user with three groups)', () => {
    const info = decodePac(savedPac2Bytes).logonInfo!;
    expect(info).toMatchObject({
      effectiveName: 'openmsp',
      fullName: 'open msp',
      userId: 1106,
      primaryGroupId: 513,
      groupIds: [
        { relativeId: 1120, attributes: 7 },
        { relativeId: 513, attributes: 7 },
        { relativeId: 1118, attributes: 7 },
      ],
      logonServer: 'CHKR-ADS',
      logonDomainName: 'MSP-ADS',
      logonDomainId: 'S-1-5-21-1289530769-1219868771-3520222165',
      extraSids: [],
    });
  });

  it('gokrb5 domain-trust vector: resource groups and S-1-18-1', () => {
    const info = decodeLogonInfo(fromHex(gokrb5.kerbValidationInfoTrust!));
    expect(info).toMatchObject({
      effectiveName: 'testuser1',
      fullName: 'Test1 User1',
      logonCount: 46,
      userId: 1106,
      primaryGroupId: 513,
      groupIds: [
        { relativeId: 1110, attributes: 7 },
        { relativeId: 513, attributes: 7 },
        { relativeId: 1109, attributes: 7 },
      ],
      userFlags: 544,
      logonServer: 'UDC',
      logonDomainName: 'USER',
      logonDomainId: 'S-1-5-21-2284869408-3503417140-1141177250',
      userAccountControl: 528,
      extraSids: [{ sid: 'S-1-18-1', attributes: 7 }],
      resourceGroupDomainSid: 'S-1-5-21-3062750306-1230139592-1973306805',
      resourceGroupIds: [
        { relativeId: 1107, attributes: 536870919 },
        { relativeId: 1108, attributes: 536870919 },
      ],
    });
    expect(info.userFlags & UserFlag.ResourceGroups).not.toBe(0);
    expect(info.resourceGroupIds[0]!.attributes & GroupAttribute.Resource).not.toBe(0);
  });

  it('drops the trailing NUL Windows counts in some RPC_UNICODE_STRING lengths (LogonServer WS2008\\0)', () => {
    const info = decodeLogonInfo(
      encodeValidationInfo({
        effectiveName: 'alice',
        logonServer: 'WS2008\0',
        logonDomainName: 'EXAMPLE\0\0',
        logonDomainId: 'S-1-5-21-1-2-3',
        userId: 1104,
        primaryGroupId: 513,
        groupIds: [],
        userFlags: 0,
        extraSids: [],
      }),
    );
    expect(info.logonServer).toBe('WS2008');
    expect(info.logonDomainName).toBe('EXAMPLE');
    expect(info.effectiveName).toBe('alice');
  });

  it('decodes what an independent NDR writer encodes (groups, extra SIDs, resource groups)', () => {
    const rid = fc.nat({ max: 0xffffffff });
    const group = fc.record({ relativeId: rid, attributes: rid });
    const sid = fc
      .array(fc.nat({ max: 0xffffffff }), { minLength: 1, maxLength: 15 })
      .map((subs) => `S-1-5-${subs.join('-')}`);
    fc.assert(
      fc.property(
        fc.record({
          effectiveName: fc.string({ maxLength: 20 }),
          groupIds: fc.array(group, { maxLength: 60 }),
          extraSids: fc.array(fc.record({ sid, attributes: rid }), { maxLength: 5 }),
          resourceGroupIds: fc.array(group, { maxLength: 5 }),
        }),
        (v) => {
          const input = {
            ...v,
            logonServer: 'DC1',
            logonDomainName: 'EXAMPLE',
            logonDomainId: 'S-1-5-21-1-2-3',
            userId: 1104,
            primaryGroupId: 513,
            userFlags: UserFlag.ExtraSids,
            resourceGroupDomainSid: 'S-1-5-21-4-5-6',
          };
          expect(decodeLogonInfo(encodeValidationInfo(input))).toMatchObject(input);
        },
      ),
      { numRuns: 200 },
    );
  });
});
