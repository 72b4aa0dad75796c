/** `tskrb completion bash|zsh`: a shell completion script built from the command table (commands, options, files). */
import type { OptionSpec, ParsedArgs } from '../args.js';
import { type CliIo, COMMON_OPTIONS, type Command } from '../command.js';
import { ExitCode, UsageError } from '../errors.js';

function flags(options: readonly OptionSpec[], valued: boolean): string {
  return options
    .filter((o) => (o.value !== undefined) === valued)
    .flatMap((o) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])])
    .join(' ');
}

/** The bash completion function: command names first, then each command's options; files for option values. */
export function bashScript(commands: readonly Command[]): string {
  const cases = commands
    .map((c) => {
      const all = [...c.options, ...COMMON_OPTIONS];
      return `    ${c.name}) opts="${flags(all, false)} ${flags(all, true)}"; valued=" ${flags(all, true)} " ;;`;
    })
    .join('\n');
  const names = [...commands.map((c) => c.name), '--help', '--version'].join(' ');
  return `# tskrb completion for bash (zsh: the same after bashcompinit). Load with: eval "$(tskrb completion bash)"
_tskrb() {
  local cur prev cmd opts valued
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names}" -- "$cur") )
    return
  fi
  case "$cmd" in
${cases}
    completion) COMPREPLY=( $(compgen -W "bash zsh" -- "$cur") ); return ;;
    *) return ;;
  esac
  case "$valued" in
    *" $prev "*) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F _tskrb tskrb
`;
}

async function run(args: ParsedArgs, io: CliIo, commands: readonly Command[]): Promise<number> {
  const [shell, ...extra] = args.positionals;
  if (extra.length > 0 || (shell !== 'bash' && shell !== 'zsh'))
    throw new UsageError('completion: name the shell, bash or zsh', {
      hint: 'eval "$(tskrb completion bash)"',
    });
  const prelude = shell === 'zsh' ? 'autoload -U +X bashcompinit && bashcompinit\n' : '';
  io.stdout(prelude + bashScript(commands));
  return ExitCode.Ok;
}

/** The completion command over the command table `commands` gives (a function: the table includes this command). */
export const completionCommandFor = (commands: () => readonly Command[]): Command => ({
  name: 'completion',
  summary: 'print a bash or zsh completion script',
  usage: 'completion bash|zsh',
  description:
    'Prints a completion script for the tskrb commands and their options (file names for option values).\nAdd the eval line to ~/.bashrc or ~/.zshrc.',
  options: [],
  examples: ['tskrb completion bash > /etc/bash_completion.d/tskrb', 'eval "$(tskrb completion zsh)"'],
  run: (args, io) => run(args, io, commands()),
});
