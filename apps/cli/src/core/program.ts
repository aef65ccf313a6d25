import { Command, Option } from 'commander';
import { commands, nounSummaries } from '../commands/index.js';
import { type CommandContext, createContext, type GlobalOptions } from './context.js';
import { type CommandDefinition, parseCount } from './create-command.js';
import type { CliIO } from './io.js';
import { version } from './version.js';

/**
 * The commander program: global flags on the root, one subcommand per noun, one leaf per definition. Output goes
 * through `io`, and commander never exits the process (errors surface as exceptions for `run` to map).
 */
export function buildProgram(io: CliIO): Command {
  const program = new Command('redivis')
    .description('Browse, query, read, upload and download Redivis data.')
    .version(version(), '-V, --version', 'print the version')
    .option('--endpoint <url>', 'API base URL (env REDIVIS_API_ENDPOINT)')
    .option('--token <token>', 'API token (env REDIVIS_API_TOKEN, else the stored login)')
    .option('--json', 'machine-readable JSON on stdout, nothing else there', false)
    .option('-q, --quiet', 'no status lines on stderr', false)
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .option('--verbose', 'print each API request to stderr (tokens redacted)', false)
    .option(
      '--retries <n>',
      'retries of a failed request (network errors, 429, 5xx)',
      parseCount('--retries'),
    )
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      '\nExamples:\n  redivis datasets list demo\n  redivis tables show demo.iris_species.iris\n' +
        '  redivis query "SELECT species, COUNT(*) n FROM demo.iris_species.iris GROUP BY species"\n' +
        '  redivis read demo.weather_sample.daily_observations --format parquet --out obs.parquet\n' +
        '\nExit codes: 0 ok, 1 other failure, 2 usage, 3 auth, 4 not found, 5 network, 6 server, 130 Ctrl-C.',
    );
  configure(program, io);
  const nouns = new Map<string, Command>();
  for (const definition of commands) {
    let parent = program;
    const [first, ...rest] = definition.path;
    if (rest.length > 0 && first) {
      let noun = nouns.get(first);
      if (!noun) {
        noun = program.command(first).description(nounSummaries[first] ?? '');
        configure(noun, io);
        nouns.set(first, noun);
      }
      parent = noun;
    }
    addLeaf(parent, definition, io);
  }
  return program;
}

function configure(command: Command, io: CliIO): void {
  command
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .configureHelp({ helpWidth: io.stdout.columns ?? 100, showGlobalOptions: true });
}

function addLeaf(parent: Command, definition: CommandDefinition, io: CliIO): void {
  const name = definition.path[definition.path.length - 1] ?? '';
  const leaf = parent.command(name).summary(definition.summary);
  leaf.description(definition.description ?? definition.summary);
  configure(leaf, io);
  for (const arg of definition.args ?? []) {
    const inner = `${arg.name}${arg.variadic ? '...' : ''}`;
    leaf.argument(arg.required === false ? `[${inner}]` : `<${inner}>`, arg.description);
  }
  for (const spec of definition.options ?? []) {
    const option = new Option(spec.flags, spec.description);
    if (spec.choices) option.choices(spec.choices);
    if (spec.parse) option.argParser(spec.parse as (value: string, previous: unknown) => unknown);
    if (spec.default !== undefined) option.default(spec.default);
    leaf.addOption(option);
  }
  if (definition.examples?.length) {
    leaf.addHelpText('after', `\nExamples:\n${definition.examples.map((e) => `  ${e}`).join('\n')}`);
  }
  leaf.action(async (...received: unknown[]) => {
    const command = received[received.length - 1] as Command;
    const names = (definition.args ?? []).map((a) => a.name);
    const args: Record<string, string | string[] | undefined> = {};
    names.forEach((argName, i) => {
      args[argName] = received[i] as string | string[] | undefined;
    });
    const all = command.optsWithGlobals() as Record<string, unknown>;
    const globals: GlobalOptions = {
      json: Boolean(all.json),
      quiet: Boolean(all.quiet),
      color: all.color !== false,
      verbose: Boolean(all.verbose),
      ...(typeof all.endpoint === 'string' ? { endpoint: all.endpoint } : {}),
      ...(typeof all.token === 'string' ? { token: all.token } : {}),
      ...(typeof all.retries === 'number' ? { retries: all.retries } : {}),
    };
    const ctx: CommandContext = createContext(io, globals);
    await definition.handler(args, command.opts(), ctx);
  });
}
