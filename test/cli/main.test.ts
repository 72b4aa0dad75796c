/**
 * The dispatcher in-process, and the built binary (dist/cli/main.js, as `npx tskrb` runs it) spawned with Node:
 * exit codes, one-line errors, standard input, pipes, colour only when asked.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/run.js';
import { toHex } from '../../src/util/bytes.js';
import { VERSION } from '../../src/version.js';
import { labKeytab, tgtCcache } from './creds-fixtures.js';
import { s4u2SelfExchange, syntheticRecording } from './fixtures.js';
import { fakeIo } from './io.js';
import { buildOnce } from './spawn.js';

describe('dispatcher', () => {
  it('lists the commands and the exit codes', async () => {
    const io = fakeIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out).toContain('kinit       get a TGT');
    expect(io.out).toContain('klist       list the tickets');
    expect(io.out).toContain('kvno        get service tickets');
    expect(io.out).toContain('s4u         impersonate a user');
    expect(io.out).toContain('describe    decode and explain');
    expect(io.out).toContain('demo        replay a recorded S4U2Self + S4U2Proxy exchange');
    expect(io.out).toContain(
      'Exit codes: 1 usage, 2 KDC refused, 3 network, 4 integrity/validation, 5 bad input file, 6 server refused (http).',
    );
  });

  it.each(['kinit', 'klist', 'kvno', 's4u', 'describe', 'demo', 'completion'])(
    '%s --help shows usage, options and examples',
    async (cmd) => {
      const io = fakeIo();
      expect(await main([cmd, '--help'], io)).toBe(0);
      expect(io.out).toMatch(new RegExp(`^Usage: tskrb ${cmd}`));
      expect(io.out).toContain('\nOptions:\n');
      expect(io.out).toContain('  --debug');
      expect(io.out).toMatch(/\nExamples:\n {2}tskrb /);
    },
  );

  it('prints the version', async () => {
    const io = fakeIo();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out).toBe(`${VERSION}\n`);
  });

  it('refuses an unknown command with exit code 1', async () => {
    const io = fakeIo();
    expect(await main(['frobnicate'], io)).toBe(1);
    expect(io.err).toBe("tskrb: unknown command 'frobnicate' (hint: tskrb --help lists the commands)\n");
  });
});

const BIN = 'dist/cli/main.js';
let dir = '';

describe('the built binary', () => {
  beforeAll(() => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'tskrb-cli-'));
    writeFileSync(join(dir, 'cc'), tgtCcache());
    writeFileSync(join(dir, 'kt'), labKeytab());
    writeFileSync(join(dir, 'rec.json'), JSON.stringify(syntheticRecording()));
    writeFileSync(join(dir, 'junk'), Uint8Array.of(0xff, 1, 2, 3, 4, 5, 6, 7, 8));
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = (args: string[], input?: string) =>
    spawnSync('node', [BIN, ...args], { encoding: 'utf8', ...(input === undefined ? {} : { input }) });

  it('has a shebang and runs with nothing but node', () => {
    const r = run(['--version']);
    expect([r.status, r.stdout]).toEqual([0, `${VERSION}\n`]);
  });

  it('describes a ccache, opening the TGT with a keytab', () => {
    const r = run(['describe', join(dir, 'cc'), '--keytab', join(dir, 'kt')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('identity: authentication authority asserted identity (S-1-18-1)');
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('colours the tree when asked', () => {
    expect(run(['describe', join(dir, 'kt'), '--color']).stdout).toContain('\x1b[36m');
  });

  it('reads hex from standard input', () => {
    const r = run(['describe', '-'], toHex(s4u2SelfExchange().reply));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('TGS-REP');
  });

  it('replays a recording', () => {
    const r = run(['demo', '--recording', join(dir, 'rec.json'), '--brief']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('identity: service asserted identity (S-1-18-2)');
  });

  it.each([
    [['describe'], 1],
    [['describe', 'JUNK'], 5],
    [['describe', 'MISSING'], 1],
  ])('%j exits %i with one line on stderr', (args, code) => {
    const r = run(
      args.map((a) => (a === 'JUNK' ? join(dir, 'junk') : a === 'MISSING' ? join(dir, 'missing') : a)),
    );
    expect(r.status).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('names a file it cannot read', () => {
    const r = run(['describe', join(dir, 'missing')]);
    expect(r.stderr).toBe(`tskrb: cannot read ${join(dir, 'missing')}: no such file\n`);
  });

  it('--debug adds the stack', () => {
    const r = run(['describe', join(dir, 'junk'), '--debug']);
    expect(r.status).toBe(5);
    expect(r.stderr.split('\n').length).toBeGreaterThan(3);
    expect(r.stderr).toContain('FormatError');
  });

  it('stops quietly when the reader closes the pipe', () => {
    const r = spawnSync(
      'bash',
      ['-o', 'pipefail', '-c', `node ${BIN} demo --recording ${join(dir, 'rec.json')} | head -1`],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe('');
  });
});
