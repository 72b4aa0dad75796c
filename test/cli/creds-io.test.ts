import { describe, expect, it } from 'vitest';
import { ccachePath, keytabPath, tgtOf, withCredential } from '../../src/cli/creds-io.js';
import { parseCcache, ticketsOf } from '../../src/creds/index.js';
import { FormatError } from '../../src/errors.js';
import { tgtCcache } from './creds-fixtures.js';
import { fakeIo } from './io.js';

describe('creds I/O', () => {
  it('names the ccache: given, else KRB5CCNAME, else /tmp/krb5cc_<uid>', () => {
    expect(ccachePath(fakeIo(), 'FILE:/a')).toBe('/a');
    expect(ccachePath(fakeIo({}, undefined, false, { KRB5CCNAME: 'FILE:/b' }), undefined)).toBe('/b');
    expect(ccachePath(fakeIo(), undefined)).toMatch(/^\/tmp\/krb5cc_\d+$/);
  });

  it('names the keytab: given, else KRB5_CLIENT_KTNAME for a client, else KRB5_KTNAME', () => {
    const io = fakeIo({}, undefined, false, { KRB5_CLIENT_KTNAME: '/c.kt', KRB5_KTNAME: 'FILE:/s.kt' });
    expect(keytabPath(io, 'WRFILE:/x.kt')).toBe('/x.kt');
    expect(keytabPath(io, undefined, true)).toBe('/c.kt');
    expect(keytabPath(io, undefined)).toBe('/s.kt');
  });

  it('finds the TGT of the default principal, and says when there is none', () => {
    const cc = parseCcache(tgtCcache());
    expect(tgtOf(cc, 'cc').server.name.nameString).toEqual(['krbtgt', 'ACME.COM']);
    expect(() => tgtOf(cc, 'cc', 'OTHER.COM')).toThrow(FormatError);
  });

  it('adds a ticket, replacing one for the same client and server', () => {
    const cc = parseCcache(tgtCcache());
    const t = ticketsOf(cc)[0]!;
    const again = withCredential(cc, { ...t, flags: 0 });
    expect(ticketsOf(again)).toHaveLength(1);
    expect(ticketsOf(again)[0]!.flags).toBe(0);
  });
});
