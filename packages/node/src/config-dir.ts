import { join } from 'node:path';
import envPaths from 'env-paths';

/**
 * The folder where redivis-ts keeps its state on this machine (credentials, resumable-upload sessions):
 * `REDIVIS_CONFIG_DIR` when set, else the platform's user config folder (`~/.config/redivis` on Linux,
 * `~/Library/Preferences/redivis` on macOS, `%APPDATA%\redivis\Config` on Windows).
 *
 * @param env - The environment to read `REDIVIS_CONFIG_DIR` from. @defaultValue `process.env`
 */
export function configDir(env: Record<string, string | undefined> = process.env): string {
  const explicit = env.REDIVIS_CONFIG_DIR?.trim();
  if (explicit) return explicit;
  return envPaths('redivis', { suffix: '' }).config;
}

/** A file under {@link configDir}. @internal */
export function configFile(name: string, env?: Record<string, string | undefined>): string {
  return join(configDir(env), name);
}
