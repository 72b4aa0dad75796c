process.env['TZ'] = 'UTC';

import { describe, expect, it } from 'vitest';
import { flagLetters, flagNames, formatCcache, formatKeytab, klistTime } from '../../src/cli/klist-format.js';
import { parseCcache, parseKeytab, TicketFlag } from '../../src/creds/index.js';
import { labKeytab, tgtCcache } from './creds-fixtures.js';
import { krbtgtKey, openVector } from './fixtures.js';

/** `2021-08-15T12:34:56.000Z` as MIT klist prints it in the C locale and UTC: `08/15/21 12:34:56`. */
const mit = (d: Date): string => {
  const iso = d.toISOString();
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(2, 4)} ${iso.slice(11, 19)}`;
};

describe('flag letters and names', () => {
  it.each([
    [TicketFlag.forwardable | TicketFlag.renewable | TicketFlag.initial | TicketFlag.preAuthent, 'FRIA'],
    [TicketFlag.forwardable | TicketFlag.transitedPolicyChecked, 'FT'],
    [TicketFlag.forwarded | TicketFlag.proxiable | TicketFlag.proxy | TicketFlag.mayPostdate, 'fPpD'],
    [TicketFlag.postdated | TicketFlag.invalid | TicketFlag.hwAuthent | TicketFlag.okAsDelegate, 'diHO'],
    [TicketFlag.anonymous | TicketFlag.encPaRep, 'a'],
    [0, ''],
  ])('flags 0x%s print as MIT klist -f letters %s', (flags, letters) => {
    expect(flagLetters(flags)).toBe(letters);
  });

  it('spells the flags out in spec case, in bit order', () => {
    expect(flagNames(0x40e10000)).toEqual([
      'forwardable',
      'renewable',
      'initial',
      'pre-authent',
      'enc-pa-rep',
    ]);
  });

  it('prints times as MM/DD/YY HH:MM:SS', () => {
    expect(klistTime(new Date('2026-11-23T09:05:07Z'))).toBe('11/23/26 09:05:07');
  });
});

describe('formatCcache', () => {
  const { part } = openVector('tgt_ticket', krbtgtKey);
  const cc = parseCcache(tgtCcache());

  it('lays out the ticket as MIT klist, flags as letters and names, config entries left out', () => {
    const text = formatCcache(cc, '/tmp/cc', { etypes: true });
    const start = part.starttime ?? part.authtime;
    expect(text.split('\n').slice(0, 5)).toEqual([
      'Ticket cache: FILE:/tmp/cc',
      'Default principal: apache@ACME.COM',
      '',
      'Valid starting     Expires            Service principal',
      `${mit(start)}  ${mit(part.endtime)}  krbtgt/ACME.COM@ACME.COM`,
    ]);
    expect(text).toContain('\tFlags: FRIA (forwardable, renewable, initial, pre-authent, enc-pa-rep)\n');
    expect(text).toContain('\tEtype (skey, tkt): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96\n');
    expect(text).not.toContain('krb5_ccache_conf_data');
    expect(text).not.toContain('Session key');
  });
});

describe('formatKeytab', () => {
  const kt = parseKeytab(labKeytab());
  it('lists entries as MIT klist -k -t -e', () => {
    const text = formatKeytab(kt, '/etc/x.keytab', { times: true, etypes: true });
    expect(text.split('\n').slice(0, 4)).toEqual([
      'Keytab name: FILE:/etc/x.keytab',
      'KVNO Timestamp         Principal',
      '---- ----------------- --------------------------------------------------------',
      '   2 08/15/21 00:00:00 krbtgt/ACME.COM@ACME.COM (aes256-cts-hmac-sha1-96) ',
    ]);
    expect(text).not.toMatch(/0x[0-9a-f]/);
  });

  it('shows key bytes only when asked', () => {
    expect(formatKeytab(kt, 'k', { showKeys: true })).toMatch(/apache@ACME\.COM \(0x[0-9a-f]{32,}\)/);
  });
});
