import type { CommandDefinition } from './create-command.js';

const GLOBAL_FLAGS = [
  '--endpoint',
  '--token',
  '--json',
  '--quiet',
  '--no-color',
  '--verbose',
  '--help',
  '--version',
];

function flagsOf(definition: CommandDefinition): string[] {
  const flags = (definition.options ?? []).flatMap((o) => o.flags.match(/--[a-z0-9-]+/g) ?? []);
  return [...flags, ...GLOBAL_FLAGS];
}

/**
 * A completion script for `shell`, generated from the command definitions: nouns, then verbs, then flags.
 * Static (no callback into `redivis`), so completing never waits for Node to start.
 */
export function completionScript(
  shell: 'bash' | 'zsh' | 'fish',
  commands: readonly CommandDefinition[],
): string {
  const tree = new Map<string, Map<string, string[]>>();
  for (const definition of commands) {
    const [first = '', second = ''] = definition.path;
    const verbs = tree.get(first) ?? new Map<string, string[]>();
    verbs.set(second, flagsOf(definition));
    tree.set(first, verbs);
  }
  const tops = [...tree.keys()].join(' ');
  if (shell === 'fish') {
    const lines = [`complete -c redivis -f`, `complete -c redivis -n __fish_use_subcommand -a '${tops}'`];
    for (const [noun, verbs] of tree) {
      const names = [...verbs.keys()].filter(Boolean);
      if (names.length)
        lines.push(`complete -c redivis -n '__fish_seen_subcommand_from ${noun}' -a '${names.join(' ')}'`);
      for (const flag of new Set([...verbs.values()].flat())) {
        lines.push(`complete -c redivis -n '__fish_seen_subcommand_from ${noun}' -l ${flag.slice(2)}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
  const cases = [...tree].map(([noun, verbs]) => {
    const names = [...verbs.keys()].filter(Boolean);
    const verbCases = [...verbs]
      .map(([verb, flags]) => `        ${verb || '*'}) words="${flags.join(' ')}" ;;`)
      .join('\n');
    return `    ${noun})\n      if [ "$COMP_CWORD" -eq 2 ] && [ -n "${names.join(' ')}" ]; then words="${names.join(' ')}"; else\n      case "\${COMP_WORDS[2]}" in\n${verbCases}\n        *) words="${GLOBAL_FLAGS.join(' ')}" ;;\n      esac; fi ;;`;
  });
  const bash = `_redivis_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" words=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    words="${tops} ${GLOBAL_FLAGS.join(' ')}"
  else
    case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
    esac
  fi
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _redivis_complete redivis
`;
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${bash}` : bash;
}
