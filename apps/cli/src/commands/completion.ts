import type { CommandDefinition } from '../core/create-command.js';
import { createCommand } from '../core/create-command.js';
import { UsageError } from '../core/errors.js';

/**
 * `redivis completion <shell>`. It needs the list of every command, which `commands/index.ts` builds from this
 * module too, so the list comes in as a function rather than an import (no import cycle).
 */
export default (allCommands: () => readonly CommandDefinition[]): CommandDefinition =>
  createCommand({
    path: ['completion'],
    summary: 'print a shell completion script (bash, zsh or fish)',
    args: [{ name: 'shell', description: 'bash, zsh or fish' }],
    examples: [
      'redivis completion bash >> ~/.bashrc',
      'redivis completion zsh >> ~/.zshrc',
      'redivis completion fish > ~/.config/fish/completions/redivis.fish',
    ],
    async handler(args, _options, ctx) {
      const { completionScript } = await import('../core/completion.js');
      const shell = String(args.shell);
      if (shell !== 'bash' && shell !== 'zsh' && shell !== 'fish') {
        throw new UsageError(`Unknown shell "${shell}"`, 'use bash, zsh or fish');
      }
      ctx.io.stdout.write(completionScript(shell, allCommands()));
    },
  });
