/**
 * The tskrb CLI shows no secret unless asked (issue 9): kinit --trace (tree and JSON lines), klist, klist --json,
 * klist -k, describe of the ccache and keytab it used, and a failed kinit, run in-process against the MIT lab.
 * Their output must hold no password, no long-term key and no session key; with --show-keys it does show them.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/run.js';
import { parseCcache } from '../../src/creds/index.js';
import { toBase64, toHex, utf8 } from '../../src/util/bytes.js';
import { type FakeIo, fakeIo } from '../cli/io.js';
import { labKeys, mitLab } from '../helpers/lab.js';

const lab = mitLab;
const CC = '/virtual/alice.cc';

describe.skipIf(!lab)(
  'tskrb output against the MIT lab carries no secret unless --show-keys (lab not running)',
  () => {
    const env = () => ({ KRB5_CONFIG: lab!.krb5Conf, KRB5CCNAME: `FILE:${CC}` });
    const alice = () => lab!.principals['alice']!;
    const web = () => lab!.principals['web']!;
    let files: Record<string, Uint8Array>;
    /** Every session key written to a ccache so far (each kinit writes a new one). */
    const sessionKeys = new Set<string>();
    const noteSessionKeys = () => {
      for (const [path, bytes] of Object.entries(files))
        if (path.endsWith('.cc'))
          for (const c of parseCcache(bytes).credentials) sessionKeys.add(toHex(c.key.bytes));
    };
    const run = async (argv: string[], stdin = ''): Promise<FakeIo & { code: number }> => {
      const io = fakeIo(files, utf8(stdin), false, env());
      const code = await main(argv, io);
      Object.assign(files, io.written);
      noteSessionKeys();
      return Object.assign(io, { code });
    };
    const secrets = (): [string, string][] => [
      ['alice password', alice().password],
      ...labKeys(web()).flatMap((k): [string, string][] => [
        [`web key ${k.etype}`, k.toHex()],
        [`web key ${k.etype} base64`, toBase64(k.bytes)],
      ]),
      ...[...sessionKeys].map((k): [string, string] => ['a session key', k]),
    ];
    const leaked = (text: string) =>
      secrets()
        .filter(([, v]) => v.length > 0 && text.toLowerCase().includes(v.toLowerCase()))
        .map(([n]) => n);

    beforeAll(async () => {
      files = {
        '/virtual/pw': utf8(`${alice().password}\n`),
        '/virtual/web.keytab': new Uint8Array(readFileSync(web().keytab!)),
      };
      const r = await run([
        'kinit',
        '--password-file',
        '/virtual/pw',
        '-c',
        CC,
        '--trace',
        alice().principal,
      ]);
      expect(r.code, r.err).toBe(0);
      expect(sessionKeys.size).toBe(1);
    }, 30_000);

    it.each<[string, string[]]>([
      [
        'kinit --trace (tree)',
        ['kinit', '--password-file', '/virtual/pw', '-c', CC, '--trace', 'alice@MIT.TEST'],
      ],
      [
        'kinit --trace --json',
        ['kinit', '--password-file', '/virtual/pw', '-c', CC, '--trace', '--json', 'alice@MIT.TEST'],
      ],
      [
        'kinit -k -t keytab --trace --json',
        [
          'kinit',
          '-k',
          '-t',
          '/virtual/web.keytab',
          '-c',
          '/virtual/web.cc',
          '--trace',
          '--json',
          'HTTP/web.mit.test@MIT.TEST',
        ],
      ],
      ['klist', ['klist', '-c', CC]],
      ['klist --json', ['klist', '-c', CC, '--json']],
      ['klist -k (keytab)', ['klist', '-k', '-e', '/virtual/web.keytab']],
      ['describe ccache', ['describe', CC]],
      ['describe --json ccache', ['describe', '--json', CC]],
      ['describe keytab', ['describe', '/virtual/web.keytab']],
      [
        'kinit with a wrong password (error output)',
        ['kinit', '--password-file', '/virtual/bad', '-c', '/virtual/x.cc', '--trace', 'alice@MIT.TEST'],
      ],
    ])(
      '%s: no password, key or session key in stdout or stderr',
      async (_, argv) => {
        files['/virtual/bad'] = utf8(`${alice().password}-wrong\n`);
        const r = await run(argv);
        const text = `${r.out}\n${r.err}`;
        expect(text.length).toBeGreaterThan(20);
        expect(leaked(text)).toEqual([]);
      },
      30_000,
    );

    it.each<[string, string[]]>([
      ['klist --show-keys', ['klist', '-c', CC, '--show-keys', '--json']],
      ['describe --show-keys', ['describe', '--show-keys', CC]],
    ])('control: %s does show the session key', async (_, argv) => {
      const current = toHex(parseCcache(files[CC]!).credentials[0]!.key.bytes);
      const r = await run(argv);
      expect(`${r.out}\n${r.err}`.toLowerCase()).toContain(current);
    });
  },
);
