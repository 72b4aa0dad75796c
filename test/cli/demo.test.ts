import { describe, expect, it } from 'vitest';
import { encodeKrbError, MessageType, NameType } from '../../src/asn1/index.js';
import { type DemoRecording, parseRecording, shippedRecording } from '../../src/cli/demo/recording.js';
import { replayRecording } from '../../src/cli/demo/story.js';
import { main } from '../../src/cli/run.js';
import { FormatError } from '../../src/errors.js';
import type { ExplainNode } from '../../src/explain/explain.js';
import { toHex, utf8 } from '../../src/util/bytes.js';
import { REALM, syntheticRecording } from './fixtures.js';
import { fakeIo } from './io.js';

const rec = syntheticRecording();
const child = (n: ExplainNode, label: string): ExplainNode => {
  const c = n.children?.find((x) => x.label === label);
  if (c === undefined) throw new Error(`no child '${label}' under '${n.label}'`);
  return c;
};

describe('parseRecording', () => {
  it('accepts the recording format and keeps it as given', () => {
    expect(parseRecording(JSON.parse(JSON.stringify(rec)))).toEqual(rec);
  });

  it('accepts notes as one string', () => {
    const one = { ...rec, exchanges: [{ ...rec.exchanges[0]!, notes: 'one note' }] };
    expect(parseRecording(one).exchanges[0]!.notes).toEqual(['one note']);
  });

  const broken = (f: (r: Record<string, unknown>) => void): unknown => {
    const r = JSON.parse(JSON.stringify(rec)) as Record<string, unknown>;
    f(r);
    return r;
  };
  const ex0 = (r: Record<string, unknown>) => (r['exchanges'] as Record<string, unknown>[])[0]!;
  it.each([
    ['not an object', () => [1], 'demo recording: the recording is not an object'],
    [
      'no exchanges',
      () =>
        broken((r) => {
          r['exchanges'] = [];
        }),
      'demo recording: the recording has no exchanges',
    ],
    [
      'a request that is not hex',
      () =>
        broken((r) => {
          ex0(r)['request'] = 'zz';
        }),
      "demo recording: exchange 1 'request' is not hex",
    ],
    [
      'a reply key it does not hold',
      () =>
        broken((r) => {
          ex0(r)['replyKey'] = 'nope';
        }),
      "demo recording: exchange 1 names key 'nope', which the recording does not hold",
    ],
    [
      'a key without an etype',
      () =>
        broken((r) => {
          (r['keys'] as Record<string, Record<string, unknown>>)['apache']!['etype'] = '18';
        }),
      "demo recording: key 'apache' needs an integer 'etype'",
    ],
  ])('refuses %s', (_name, make, message) => {
    expect(() => parseRecording(make())).toThrow(new FormatError(message));
  });
});

describe('replayRecording', () => {
  const replay = replayRecording(rec);

  it('lists the recording and its keys, hidden', () => {
    expect(replay.header.value).toBe(`2 exchanges with 127.0.0.1:88, realm ${REALM}`);
    const keys = child(replay.header, 'keys');
    expect(keys.children?.map((k) => k.label)).toEqual([
      'krbtgt',
      'krbtgt-pac',
      'apache',
      'tgt-session',
      'subkey',
    ]);
    expect(keys.children?.[0]?.value).toBe('aes256-cts-hmac-sha1-96 (18) [key etype 18, 32 bytes]');
  });

  it('tells each step: asked, answered, keys, PAC, notes', () => {
    expect(replay.steps.map((s) => [s.step, s.story.children?.map((c) => c.label)])).toEqual([
      [
        'S4U2Self',
        ['the service asked', 'the KDC answered', 'which key opened what', 'what the PAC says', 'notes'],
      ],
      [
        'S4U2Proxy',
        ['the service asked', 'the KDC answered', 'which key opened what', 'what the PAC says', 'notes'],
      ],
    ]);
  });

  it("step 1: apache asks for itself in admin's name, with PA-FOR-USER", () => {
    const asked = child(replay.steps[0]!.story, 'the service asked');
    expect(asked.value).toBe(`apache@${REALM} → apache@${REALM}`);
    expect(child(asked, 'PA-FOR-USER (129)')).toMatchObject({
      value: `user admin@${REALM}`,
      note: 'S4U2Self: the user the service asks a ticket for',
    });
    expect(child(replay.steps[0]!.story, 'the KDC answered').value).toBe(
      `TGS-REP: a ticket for apache@${REALM} naming admin@${REALM}`,
    );
  });

  it('step 1: says which key opened what, and checks the recorded reply and ticket keys', () => {
    const keys = child(replay.steps[0]!.story, 'which key opened what');
    expect(keys.children?.map((k) => [k.label, k.value])).toEqual([
      [`request: ticket naming apache@${REALM}`, "key 'krbtgt' (long-term key of krbtgt/ACME.COM)"],
      [`request: authenticator of apache@${REALM}`, "key 'tgt-session' (session key of apache's TGT)"],
      [`reply: ticket naming admin@${REALM}`, "key 'apache' (long-term key of apache@ACME.COM)"],
      [
        `reply: enc-part of the reply for apache@${REALM}`,
        "key 'subkey' (subkey of the S4U2Self authenticator)",
      ],
      ['reply enc-part, as recorded', "key 'subkey' (subkey of the S4U2Self authenticator)"],
      ['new ticket, as recorded', "key 'apache' (long-term key of apache@ACME.COM)"],
    ]);
    expect(keys.children?.[4]?.note).toBe('usage 9 (TGS-REP enc-part, authenticator subkey): opens');
  });

  it('step 1: the PAC says "service asserted identity" (S-1-18-2)', () => {
    const pac = child(replay.steps[0]!.story, 'what the PAC says');
    expect(child(pac, 'identity').value).toBe('service asserted identity (S-1-18-2)');
  });

  it('step 1: the PAC signatures are checked with the key that opened the ticket and the krbtgt key', () => {
    const sigs = child(child(replay.steps[0]!.story, 'what the PAC says'), 'signatures');
    expect(child(sigs, 'server').value).toBe('valid');
    expect(child(sigs, 'KDC').value).toBe('valid');
  });

  it('step 2: S4U2Proxy with the evidence ticket, the RBCD bit, and the delegation target in the PAC', () => {
    const asked = child(replay.steps[1]!.story, 'the service asked');
    expect(child(asked, 'PA-PAC-OPTIONS (167)').value).toBe('resource-based-constrained-delegation');
    expect(child(asked, 'kdc-options').value).toBe('forwardable, cname-in-addl-tkt, canonicalize');
    expect(child(asked, 'additional ticket').value).toBe(`apache@${REALM}, naming admin@${REALM}`);
    const pac = child(replay.steps[1]!.story, 'what the PAC says');
    expect(child(pac, 'delegation').value).toBe('sql/mysql.acme.com');
  });

  it('keeps the full request and reply trees, opened', () => {
    const s = replay.steps[1]!;
    expect(s.request).toMatchObject({ label: 'request', value: `TGS-REQ for sql/mysql.acme.com@${REALM}` });
    expect(s.reply.value).toBe(`TGS-REP ticket sql/mysql.acme.com@${REALM} for admin@${REALM}`);
    expect(child(s.reply, 'enc-part').note).toBe(
      "opened with key 'tgt-session' (session key of apache's TGT), usage 8 (TGS-REP enc-part, TGT session key)",
    );
  });

  it('tells a refused step with the KDC error and the hint for that step', () => {
    const sname = { nameType: NameType.NT_SRV_HST, nameString: ['cifs', 'other'] };
    const refused: DemoRecording = {
      ...rec,
      exchanges: [
        {
          ...rec.exchanges[1]!,
          reply: toHex(
            encodeKrbError({
              pvno: 5,
              msgType: MessageType.KRB_ERROR,
              stime: new Date(0),
              susec: 0,
              errorCode: 13,
              realm: REALM,
              sname,
            }),
          ),
        },
      ],
    };
    const answered = child(replayRecording(refused).steps[0]!.story, 'the KDC answered');
    expect(answered.value).toBe('KDC_ERR_BADOPTION (13)');
    expect(answered.note).toContain('S4U2Proxy refused');
  });
});

describe('tskrb demo', () => {
  const files = { 'rec.json': utf8(JSON.stringify(rec)) };

  it('prints the header, then each step with its story and trees', async () => {
    const io = fakeIo(files);
    expect(await main(['demo', '--recording', 'rec.json'], io)).toBe(0);
    expect(io.out).toMatch(/^tskrb demo: 2 exchanges/);
    expect(io.out).toContain("\nStep 1: S4U2Self: apache asks for a ticket to itself in admin's name\n");
    expect(io.out).toContain(
      '\nStep 2: S4U2Proxy: apache uses that ticket to reach sql/mysql.acme.com as admin\n',
    );
    expect(io.out).toContain('identity: service asserted identity (S-1-18-2)');
    expect(io.out).toContain('├─ request: TGS-REQ');
  });

  it('--brief leaves the full trees out', async () => {
    const full = fakeIo(files);
    const brief = fakeIo(files);
    await main(['demo', '--recording', 'rec.json'], full);
    await main(['demo', '--recording', 'rec.json', '--brief'], brief);
    expect(brief.out).not.toContain('request: TGS-REQ');
    expect(brief.out.length).toBeLessThan(full.out.length / 3);
  });

  it('--json prints one JSON line per step', async () => {
    const io = fakeIo(files);
    await main(['demo', '--recording', 'rec.json', '--json'], io);
    const lines = io.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: string; story: ExplainNode });
    expect(lines.map((l) => l.step)).toEqual(['S4U2Self', 'S4U2Proxy']);
    expect(lines[0]!.story.label).toBe('story');
  });

  it('refuses a recording that is not JSON', async () => {
    const io = fakeIo({ 'bad.json': utf8('{') });
    expect(await main(['demo', '--recording', 'bad.json'], io)).toBe(5);
    expect(io.err).toMatch(/^tskrb: bad\.json is not JSON/);
  });

  it('replays the shipped recording, or says that this build has none', async () => {
    const io = fakeIo();
    const code = await main(['demo', '--brief'], io);
    if (shippedRecording() === undefined) {
      expect(code).toBe(5);
      expect(io.err).toBe(
        'tskrb: this build ships no demo recording (hint: pass one with --recording FILE.json)\n',
      );
    } else {
      expect(code).toBe(0);
      expect(io.out).toContain('Step 1');
    }
  });
});
