import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bashScript } from '../../src/cli/commands/completion.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { main } from '../../src/cli/run.js';
import { fakeIo } from './io.js';

/** What bash completes for the words typed, with the generated script loaded. */
function complete(words: string[]): string[] {
  const script = `${bashScript(COMMANDS)}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _tskrb; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: '/' });
  return r.stdout.split('\n').filter((l) => l.length > 0);
}

describe('tskrb completion', () => {
  it('completes command names', () => {
    expect(complete(['tskrb', 'k'])).toEqual(['kinit', 'klist', 'kdestroy', 'kswitch', 'kvno']);
  });

  it("completes a command's options, long and short", () => {
    expect(complete(['tskrb', 's4u', '--imp'])).toEqual(['--impersonate']);
    expect(complete(['tskrb', 'kinit', '--password-'])).toEqual(['--password-file']);
  });

  it('completes file names after an option that takes a value', () => {
    expect(complete(['tskrb', 'kinit', '-t', '/et'])).toEqual(['/etc']);
  });

  it('prints the script for bash, and for zsh after bashcompinit; other shells are a usage error', async () => {
    const bash = fakeIo();
    expect(await main(['completion', 'bash'], bash)).toBe(0);
    expect(bash.out).toContain('complete -o filenames -F _tskrb tskrb');
    const zsh = fakeIo();
    expect(await main(['completion', 'zsh'], zsh)).toBe(0);
    expect(zsh.out.startsWith('autoload -U +X bashcompinit && bashcompinit\n')).toBe(true);
    const fish = fakeIo();
    expect(await main(['completion', 'fish'], fish)).toBe(1);
  });
});
