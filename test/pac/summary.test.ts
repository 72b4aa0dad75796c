import { describe, expect, it } from 'vitest';
import { decodePac } from '../../src/pac/pac.js';
import { identityAssertionOf, summarizePac } from '../../src/pac/summary.js';
import { extraLogonInfoBytes, openTicket, savedPac2Bytes, savedPacBytes, ticketCases } from './helpers.js';
import { buildPac, encodeValidationInfo } from './ndr-writer.js';

describe('PAC summary', () => {
  it.each(ticketCases)('$name: user, asserted identity and delegation', (c) => {
    const { encTicketPart, pacBytes } = openTicket(c);
    const s = summarizePac(decodePac(pacBytes));
    expect(s.user).toBe(encTicketPart.cname.nameString[0]);
    expect(s.clientName).toBe(encTicketPart.cname.nameString[0]);
    expect(s.authTime).toEqual(encTicketPart.authtime);
    expect(s.upn).toBe(`${encTicketPart.cname.nameString[0]}@${encTicketPart.crealm}`);
    expect(s.dnsDomain).toBe(encTicketPart.crealm);
    expect(s.primaryGroup?.name).toBe('Domain Users');
    const s4u = c.name.startsWith('s4u');
    // S4U2Self and S4U2Proxy tickets carry S-1-18-2; AS and normal TGS tickets S-1-18-1 (MS-SFU 3.2.5.1.2).
    expect(s.identityAssertion).toBe(s4u ? 'service' : 'authentication-authority');
    expect(s.extraSids.map((e) => e.sid)).toContain(s4u ? 'S-1-18-2' : 'S-1-18-1');
    if (c.name.startsWith('s4u2proxy')) {
      expect(s.delegationTarget).toBe('sql/mysql.acme.com');
      expect(s.delegationPath).toEqual(['apache@ACME.COM']);
    } else {
      expect(s.delegationTarget).toBeUndefined();
      expect(s.delegationPath).toEqual([]);
    }
  });

  it('saved_pac: groups in the logon domain, resolved by name where well known', () => {
    const s = summarizePac(decodePac(savedPacBytes));
    const domain = 'S-1-5-21-3048156945-3961193616-3706469200';
    expect(s).toMatchObject({
      user: 'W2003FINAL$',
      domain: 'WIN2K3THINK',
      userSid: `${domain}-1005`,
      primaryGroup: { sid: `${domain}-516`, name: 'Domain Controllers' },
      groups: [{ sid: `${domain}-516`, attributes: 7, name: 'Domain Controllers' }],
      extraSids: [{ sid: 'S-1-5-9', attributes: 7, name: 'Enterprise Domain Controllers' }],
      identityAssertion: 'none',
    });
  });

  it('saved_pac2: groups without well-known names keep only the SID', () => {
    const s = summarizePac(decodePac(savedPac2Bytes));
    expect(s.groups.map((g) => g.name)).toEqual([undefined, 'Domain Users', undefined]);
    expect(s.upn).toBe('openmsp@msp-ads.peppercon.de');
  });

  it('extra_logon_info (Samba): SAM name, requestor and S-1-18-1', () => {
    const s = summarizePac(decodePac(extraLogonInfoBytes));
    expect(s).toMatchObject({
      samName: 'c9d801a8_0',
      requestorSid: 'S-1-5-21-2140317089-1002772777-95442619-1101',
      identityAssertion: 'authentication-authority',
    });
  });

  it('resource groups are SIDs in the resource group domain', () => {
    const pac = buildPac([
      {
        type: 1,
        data: encodeValidationInfo({
          effectiveName: 'bob',
          logonServer: 'DC',
          logonDomainName: 'EX',
          logonDomainId: 'S-1-5-21-1-2-3',
          userId: 1200,
          primaryGroupId: 513,
          groupIds: [{ relativeId: 512, attributes: 7 }],
          userFlags: 0x220,
          extraSids: [],
          resourceGroupDomainSid: 'S-1-5-21-4-5-6',
          resourceGroupIds: [{ relativeId: 1500, attributes: 0x20000007 }],
        }),
      },
    ]);
    const s = summarizePac(decodePac(pac));
    expect(s.groups).toEqual([{ sid: 'S-1-5-21-1-2-3-512', attributes: 7, name: 'Domain Admins' }]);
    expect(s.resourceGroups).toEqual([{ sid: 'S-1-5-21-4-5-6-1500', attributes: 0x20000007 }]);
    expect(s.identityAssertion).toBe('none');
  });

  it.each([
    [['S-1-18-1'], 'authentication-authority'],
    [['S-1-18-2'], 'service'],
    [['S-1-18-1', 'S-1-18-2'], 'service'],
    [['S-1-5-11'], 'none'],
    [[], 'none'],
  ])('identity assertion of %j is %s', (sids, expected) => {
    expect(identityAssertionOf(sids.map((sid) => ({ sid })))).toBe(expected);
  });
});
