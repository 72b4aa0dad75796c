import { describe, expect, it } from 'vitest';
import type { Ccache } from '../../src/creds/ccache.js';
import { parseCcache, serializeCcache } from '../../src/creds/ccache.js';
import { getConfigValue, isConfigEntry, makeConfigEntry, ticketsOf } from '../../src/creds/ccache-config.js';

const alice = { realm: 'EXAMPLE.TEST', nameType: 1, components: ['alice'] };
const tgs = { realm: 'EXAMPLE.TEST', nameType: 2, components: ['krbtgt', 'EXAMPLE.TEST'] };
const enc = (s: string) => new TextEncoder().encode(s);

describe('ccache configuration entries', () => {
  const fast = makeConfigEntry(alice, 'fast_avail', enc('yes'));
  const paType = makeConfigEntry(alice, 'pa_type', enc('2'), tgs);
  const ticket = { ...fast, server: tgs, ticket: new Uint8Array([0x61, 0]) };
  const cc: Ccache = {
    version: 0x504,
    otherHeaderFields: [],
    defaultPrincipal: alice,
    credentials: [fast, ticket, paType],
  };

  it('names the server krb5_ccache_conf_data/KEY[/PRINCIPAL]@X-CACHECONF: and zeroes the rest', () => {
    expect(paType.server).toEqual({
      realm: 'X-CACHECONF:',
      nameType: 1,
      components: ['krb5_ccache_conf_data', 'pa_type', 'krbtgt/EXAMPLE.TEST@EXAMPLE.TEST'],
    });
    expect(paType.endtime.getTime()).toBe(0);
    expect(paType.key.bytes).toHaveLength(0);
    expect(paType.ticket).toEqual(enc('2'));
  });

  it.each([
    ['fast_avail', undefined, 'yes'],
    ['pa_type', tgs, '2'],
    ['pa_type', undefined, undefined],
    ['refresh_time', undefined, undefined],
  ] as const)('getConfigValue(%s, %o) = %s', (key, principal, want) => {
    const v = getConfigValue(cc, key, principal);
    expect(v === undefined ? undefined : new TextDecoder().decode(v)).toBe(want);
  });

  it('tells config entries from tickets and survives a serialize/parse round trip in order', () => {
    expect(cc.credentials.map(isConfigEntry)).toEqual([true, false, true]);
    expect(ticketsOf(cc)).toEqual([ticket]);
    const back = parseCcache(serializeCcache(cc));
    expect(back.credentials.map(isConfigEntry)).toEqual([true, false, true]);
    expect(getConfigValue(back, 'pa_type', tgs)).toEqual(enc('2'));
  });
});
