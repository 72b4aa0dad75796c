/**
 * Sealed entries of the shared ticket store: AES-256-GCM under the caller's key with realm, service, user and
 * target as associated data. A round trip keeps the credential; an altered byte, another key, or an entry moved to
 * another identity is refused with IntegrityError. Times come from the test clock, nonces from a scripted source.
 */
import { describe, expect, it } from 'vitest';
import { type EntryId, SealKeys, type TicketRecord } from '../../src/delegation/sealed-entry.js';
import { IntegrityError } from '../../src/errors.js';
import { parsePrincipal } from '../../src/messages/principal.js';
import { toHex, utf8 } from '../../src/util/bytes.js';
import { TEST_NOW, testClock } from '../helpers/clock.js';
import { FAKE_KEY_BYTES, FAKE_TICKET_CIPHER, fakeCredential } from './fakes.js';

const REALM = 'EXAMPLE.TEST';
const KEY = new Uint8Array(32).map((_, i) => i + 1);
const OTHER_KEY = new Uint8Array(32).map((_, i) => 255 - i);
const ID: EntryId = {
  realm: REALM,
  service: 'HTTP/web.example.test@EXAMPLE.TEST',
  user: 'alice@EXAMPLE.TEST',
  target: 'cifs/file.example.test@EXAMPLE.TEST',
};
const HOUR = 3600_000;

/** A nonce source that counts, so every seal is reproducible. */
function countingRandom() {
  let n = 0;
  return (len: number) => new Uint8Array(len).fill(++n);
}

function record(now: number): TicketRecord {
  const user = parsePrincipal(ID.user);
  const target = parsePrincipal(ID.target);
  return {
    credential: fakeCredential(user, target, now, 10 * HOUR),
    obtainedAt: now,
    vouchedAt: now - 1000,
    warnings: ['S4U2Self ticket is not forwardable'],
  };
}

function sealOne(clock = testClock()) {
  const keys = new SealKeys(KEY);
  const r = record(clock());
  const staleAt = clock() + 15 * 60_000;
  return { keys, r, staleAt, sealed: keys.seal(ID, r, staleAt, countingRandom()) };
}

describe('sealed ticket store entries (AES-256-GCM, AD = realm, service, user, target)', () => {
  it('round trip: the credential, its times, warnings and stale time come back; the record is marked as from the store', () => {
    const { keys, r, staleAt, sealed } = sealOne();
    const out = keys.open(ID, sealed);
    expect(out.staleAt).toBe(staleAt);
    expect(out.record).toMatchObject({
      obtainedAt: TEST_NOW,
      vouchedAt: TEST_NOW - 1000,
      warnings: r.warnings,
      fromStore: true,
    });
    const c = out.record.credential;
    expect(toHex(c.sessionKey.bytes)).toBe(toHex(FAKE_KEY_BYTES));
    expect(c.sessionKey.etype).toBe(18);
    expect(toHex(c.ticketBytes)).toBe(toHex(r.credential.ticketBytes));
    expect(c.endtime.getTime()).toBe(TEST_NOW + 10 * HOUR);
    expect(c.client).toEqual(r.credential.client);
    expect(c.server).toEqual(r.credential.server);
    expect(c.flags.forwardable).toBe(true);
  });

  it('the sealed bytes hold neither the session key, the ticket, nor the names in the clear', () => {
    const { sealed } = sealOne();
    const hex = toHex(sealed);
    for (const secret of [FAKE_KEY_BYTES.subarray(0, 8), FAKE_TICKET_CIPHER.subarray(0, 8), utf8('alice')])
      expect(hex).not.toContain(toHex(secret));
    expect(sealed[0]).toBe(1);
  });

  it('the nonce comes from the injected random source: same source, same bytes; next nonce, other bytes', () => {
    const keys = new SealKeys(KEY);
    const r = record(TEST_NOW);
    const a = keys.seal(ID, r, TEST_NOW + 1, countingRandom());
    const b = keys.seal(ID, r, TEST_NOW + 1, countingRandom());
    expect(toHex(a)).toBe(toHex(b));
    const rnd = countingRandom();
    expect(toHex(keys.seal(ID, r, TEST_NOW + 1, rnd))).not.toBe(toHex(keys.seal(ID, r, TEST_NOW + 1, rnd)));
  });

  it.each([
    ['the format byte', 0],
    ['the nonce', 5],
    ['the ciphertext', 40],
    ['the tag', -1],
  ])('an altered byte in %s is refused', (_what, at) => {
    const { keys, sealed } = sealOne();
    const bad = sealed.slice();
    const i = at < 0 ? bad.length + at : at;
    bad[i] = bad[i]! ^ 0x01;
    expect(() => keys.open(ID, bad)).toThrow(IntegrityError);
  });

  it('a truncated or empty entry is refused', () => {
    const { keys, sealed } = sealOne();
    expect(() => keys.open(ID, sealed.subarray(0, sealed.length - 1))).toThrow(IntegrityError);
    expect(() => keys.open(ID, new Uint8Array(0))).toThrow(IntegrityError);
  });

  it('an entry sealed under another key is refused', () => {
    const { sealed } = sealOne();
    expect(() => new SealKeys(OTHER_KEY).open(ID, sealed)).toThrow(/tag mismatch/);
  });

  it.each([
    ['another user', { user: 'bob@EXAMPLE.TEST' }],
    ['another target', { target: 'HTTP/api.example.test@EXAMPLE.TEST' }],
    ['another service', { service: 'HTTP/other.example.test@EXAMPLE.TEST' }],
    ['another realm', { realm: 'OTHER.TEST' }],
  ])('an entry moved to %s is refused', (_what, change) => {
    const { keys, sealed } = sealOne();
    expect(() => keys.open({ ...ID, ...change }, sealed)).toThrow(IntegrityError);
  });

  it('names in the store are keyed hashes: one per identity and key, with no user or target in them', () => {
    const keys = new SealKeys(KEY);
    const name = keys.nameOf(ID);
    expect(name).toMatch(/^[0-9a-f]{40}$/);
    expect(keys.nameOf({ ...ID })).toBe(name);
    expect(keys.nameOf({ ...ID, user: 'bob@EXAMPLE.TEST' })).not.toBe(name);
    expect(new SealKeys(OTHER_KEY).nameOf(ID)).not.toBe(name);
  });

  it('a generation is part of the identity: the name changes with it, and an entry sealed under one opens under no other', () => {
    const keys = new SealKeys(KEY);
    const random = countingRandom();
    // No generation (a user never cleared) is the name and AD entries had before generations existed.
    expect(keys.nameOf({ ...ID, generation: '' })).toBe(keys.nameOf(ID));
    const cleared = { ...ID, generation: '.0a0b' };
    expect(keys.nameOf(cleared)).not.toBe(keys.nameOf(ID));
    expect(keys.nameOf({ ...ID, generation: '.0a0c' })).not.toBe(keys.nameOf(cleared));
    const before = keys.seal(ID, record(TEST_NOW), TEST_NOW + HOUR, random);
    expect(() => keys.open(cleared, before)).toThrow(IntegrityError);
    const after = keys.seal(cleared, record(TEST_NOW), TEST_NOW + HOUR, random);
    expect(keys.open(cleared, after).record.obtainedAt).toBe(TEST_NOW);
    expect(() => keys.open(ID, after)).toThrow(IntegrityError);
  });

  it('generation names: one for the service, one per user, keyed hashes apart from entry names', () => {
    const keys = new SealKeys(KEY);
    const service = keys.generationName(REALM, ID.service);
    const alice = keys.generationName(REALM, ID.service, ID.user);
    expect(service).toMatch(/^[0-9a-f]{40}:gen$/);
    expect(alice).toMatch(/^[0-9a-f]{40}:gen$/);
    expect(new Set([service, alice, keys.generationName(REALM, ID.service, 'bob@EXAMPLE.TEST')]).size).toBe(
      3,
    );
    expect(keys.generationName(REALM, 'HTTP/other.example.test@EXAMPLE.TEST', ID.user)).not.toBe(alice);
    expect(new SealKeys(OTHER_KEY).generationName(REALM, ID.service, ID.user)).not.toBe(alice);
    expect(alice).not.toContain('alice');
  });

  it('the key is the caller’s 32 bytes: any other length is refused, none is made up', () => {
    for (const n of [0, 16, 31, 33, 64]) expect(() => new SealKeys(new Uint8Array(n))).toThrow(RangeError);
    expect(() => new SealKeys(undefined as unknown as Uint8Array)).toThrow(RangeError);
  });
});
