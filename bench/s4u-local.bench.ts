/**
 * The client-side cost of S4U and TGS, without network or lab: an S4U2Self + S4U2Proxy pair, a DelegationClient
 * s4u2proxy from an empty cache, and a TGS exchange, each against the in-memory TGS of test/s4u/mini-kdc.ts (whose
 * ticket sealing is included in every iteration). What a change of the client, s4u and delegation layers costs,
 * free of the lab KDCs' own load.
 */
import { bench, describe } from 'vitest';
import { KdcClient, s4u2proxy, s4u2self } from '../src/client/index.js';
import { DelegationClient } from '../src/delegation/index.js';
import { BACK, FRONT, frontTgt, MiniKdc, miniClock, REALM } from '../test/s4u/mini-kdc.js';

const OPTS = { time: 2000, warmupTime: 300 };

describe('in-memory TGS (client-side cost)', () => {
  const kdc = new MiniKdc();
  const client = new KdcClient({ realm: REALM, transport: kdc, clock: miniClock });
  const tgt = frontTgt();

  bench(
    'tskrb S4U2Self + S4U2Proxy pair',
    async () => {
      kdc.seen.length = 0;
      const self = await s4u2self(client, tgt, 'alice');
      await s4u2proxy(client, tgt, self, BACK);
    },
    OPTS,
  );
  bench(
    'tskrb DelegationClient s4u2proxy, empty cache (given TGT)',
    async () => {
      kdc.seen.length = 0;
      const dc = new DelegationClient({
        service: FRONT,
        realm: REALM,
        transport: kdc,
        credential: tgt,
        clock: miniClock,
      });
      await dc.s4u2proxy('alice', BACK);
    },
    OPTS,
  );
  bench(
    'tskrb TGS exchange (warm TGT)',
    async () => {
      kdc.seen.length = 0;
      await client.tgs(tgt, BACK);
    },
    OPTS,
  );
});
