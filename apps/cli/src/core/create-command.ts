import { InvalidArgumentError } from 'commander';
import type { CommandContext } from './context.js';

/** One positional argument of a command. */
export interface ArgumentDefinition {
  name: string;
  description: string;
  /** @default true */
  required?: boolean;
  /** Takes every remaining argument (an array). */
  variadic?: boolean;
}

/** One option of a command, in commander's flag syntax (`-n, --max-results <n>`). */
export interface OptionDefinition {
  flags: string;
  description: string;
  default?: string | boolean | string[];
  /** The only values accepted (commander rejects others with a usage error). */
  choices?: readonly string[];
  /** Parse the raw text (throw a `UsageError` on bad input). */
  parse?: (value: string) => unknown;
}

/**
 * A command declared as data, wrangler-style: its place in the noun-verb tree, help text, arguments, options and
 * handler. The program builder turns each into a commander command; nothing here imports the SDK, so declaring
 * every command costs nothing at startup (handlers import what they need when they run).
 */
export interface CommandDefinition {
  /** Words from the root: `['datasets', 'list']`, or `['query']`. */
  path: readonly string[];
  /** One line for the command list. */
  summary: string;
  /** Longer help shown by `--help` (defaults to the summary). */
  description?: string;
  args?: readonly ArgumentDefinition[];
  options?: readonly OptionDefinition[];
  /** Shown under "Examples:" in `--help`. */
  examples?: readonly string[];
  /** Runs the command; positional arguments by name, options camel-cased as commander gives them. */
  handler(
    args: Record<string, string | string[] | undefined>,
    options: Record<string, unknown>,
    ctx: CommandContext,
  ): Promise<void>;
}

/** Declare a command (identity at runtime; keeps each definition checked against {@link CommandDefinition}). */
export function createCommand(definition: CommandDefinition): CommandDefinition {
  return definition;
}

/** A non-negative integer option (`--max-results 10`). */
export function parseCount(name: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) {
      throw new InvalidArgumentError(`${name} must be a non-negative integer, got "${value}".`);
    }
    return Number(value);
  };
}

/** A comma-separated list option (`--variables a,b`). */
export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}
