import { describe, expect, it } from 'vitest';
import { ccacheSaysFastAvailable, fastAvailEntry } from '../../src/client/ccache-bridge.js';
import { parseCcache, serializeCcache } from '../../src/creds/index.js';
import type { Credential } from '../../src/messages/credential.js';
import { fromUtf8 } from '../../src/util/bytes.js';

const tgt = {
  client: { realm: 'FAST.TEST', name: { nameType: 1, nameString: ['host', 'armor.fast.test'] } },
  server: { realm: 'FAST.TEST', name: { nameType: 2, nameString: ['krbtgt', 'FAST.TEST'] } },
} as Credential;

describe('fast_avail ccache configuration entry (MIT krb5 get_in_tkt.c)', () => {
  it('is krb5_ccache_conf_data/fast_avail/krbtgt\\/REALM\\@REALM@X-CACHECONF: = "yes"', () => {
    const e = fastAvailEntry(tgt);
    expect(e.server.realm).toBe('X-CACHECONF:');
    expect(e.server.components).toEqual([
      'krb5_ccache_conf_data',
      'fast_avail',
      'krbtgt/FAST.TEST@FAST.TEST',
    ]);
    expect(fromUtf8(e.ticket)).toBe('yes');
    expect(e.client.components).toEqual(['host', 'armor.fast.test']);
  });

  it('survives a ccache round trip and is found for the same TGT only', () => {
    const e = fastAvailEntry(tgt);
    const cc = parseCcache(
      serializeCcache({
        version: 0x0504,
        otherHeaderFields: [],
        defaultPrincipal: e.client,
        credentials: [e],
      }),
    );
    expect(ccacheSaysFastAvailable(cc, tgt)).toBe(true);
    const other = {
      ...tgt,
      server: { realm: 'X.TEST', name: { nameType: 2, nameString: ['krbtgt', 'X.TEST'] } },
    };
    expect(ccacheSaysFastAvailable(cc, other as Credential)).toBe(false);
  });
});
