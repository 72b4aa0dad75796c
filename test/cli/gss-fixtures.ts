/**
 * Fixtures of the describe/explain tests of GSS-API and SPNEGO tokens: sessions made with the real mechanism
 * (initSecContext → acceptSecContext → AP-REP → Wrap/MIC) around TEST_NOW, the MIT sessions recorded in
 * test/vectors (the public Windows tokens of Kerberos.NET are read through test/gss/spnego-fixtures).
 */
import { existsSync, readFileSync } from 'node:fs';
import { main } from '../../src/cli/run.js';
import type { Key } from '../../src/crypto/index.js';
import { acceptSecContext } from '../../src/gss/acceptor.js';
import type { ChannelBindings } from '../../src/gss/channel-bindings.js';
import type { GssContext } from '../../src/gss/context.js';
import { initSecContext } from '../../src/gss/initiator.js';
import { MemoryReplayCache } from '../../src/gss/replay-cache.js';
import type { Credential } from '../../src/messages/credential.js';
import { toHex } from '../../src/util/bytes.js';
import { issue, SERVICE, seededRandom, serviceKey } from '../gss/fixtures.js';
import { testClock } from '../helpers/clock.js';
import { fakeIo } from './io.js';

/** One context made end to end, with the tokens that crossed. */
export interface GssSessionFixture {
  readonly credential: Credential;
  readonly serviceKey: Key;
  readonly apReq: Uint8Array;
  readonly apRep: Uint8Array | undefined;
  readonly initiator: GssContext;
  readonly acceptor: GssContext;
}

/** Options of {@link gssSession}. */
export interface GssSessionOptions {
  readonly flags?: number;
  readonly channelBindings?: ChannelBindings;
  readonly delegate?: { readonly tgt: Credential };
  /** RRC of the Wrap tokens the acceptor sends (Windows: 28). */
  readonly acceptorRrc?: number;
  readonly acceptorEc?: number;
}

/** An initiator and acceptor context of `etype` between alice and HTTP/api.gss.test, on a test clock. */
export function gssSession(etype: number, o: GssSessionOptions = {}): GssSessionFixture {
  const clock = testClock();
  const credential = issue(etype);
  const init = initSecContext({
    credential,
    clock,
    random: seededRandom(etype),
    // The context key keeps the session key's enctype, so that etype 23 makes RFC 4757 tokens.
    etypeNegotiation: false,
    ...(o.flags === undefined ? {} : { flags: o.flags }),
    ...(o.channelBindings === undefined ? {} : { channelBindings: o.channelBindings }),
    ...(o.delegate === undefined ? {} : { delegate: o.delegate }),
  });
  const key = serviceKey(etype);
  const accepted = acceptSecContext(init.token, {
    keys: [key],
    service: SERVICE,
    clock,
    replayCache: new MemoryReplayCache({ clock }),
    random: seededRandom(etype + 100),
    ...(o.channelBindings === undefined ? {} : { channelBindings: o.channelBindings }),
    wrapTokens: { rrc: o.acceptorRrc, ec: o.acceptorEc },
  });
  if (accepted.outputToken) init.context.step(accepted.outputToken);
  return {
    credential,
    serviceKey: key,
    apReq: init.token,
    apRep: accepted.outputToken,
    initiator: init.context,
    acceptor: accepted.context,
  };
}

/** `--key etype:hex` of a key. */
export function keyArg(k: Key): string {
  return `${k.etype}:${toHex(k.bytes)}`;
}

/** Runs `tskrb describe` on one in-memory file; the output and exit code. */
export async function describeText(
  input: Uint8Array,
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ in: input });
  const code = await main(['describe', 'in', ...argv], io);
  return { code, out: io.out, err: io.err };
}

// --- recorded and public tokens ------------------------------------------------------------------------------------

/** One MIT gss-client → gss-server session of test/vectors/gss-mit-*.json. */
export interface MitSession {
  readonly name: string;
  readonly serviceKeys: readonly { etype: number; hex: string }[];
  readonly tokens: readonly { from: string; kind: string; hex: string }[];
  /** The acceptor subkey the AP-REP carried (the context key of the Wrap and MIC tokens after it). */
  readonly acceptor: { readonly subkey?: { etype: number; hex: string } };
}

/** The sessions of a test/vectors/gss-mit-*.json file, or [] when it is absent (the tests then skip visibly). */
export function mitSessions(file: string): MitSession[] {
  const url = new URL(`../vectors/${file}`, import.meta.url);
  if (!existsSync(url)) return [];
  return (JSON.parse(readFileSync(url, 'utf8')) as { sessions: MitSession[] }).sessions;
}
