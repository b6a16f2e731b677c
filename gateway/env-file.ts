import fs from 'node:fs';
import path from 'node:path';
import { SettingError } from '../channels/setting-error.ts';

/**
 * Loads `ENV_FILE` (default `.env` in the working directory) into the environment, as `.env.example`
 * suggests. Variables already set in the environment win. Returns the file loaded, or null.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | null {
  const file = path.resolve(cwd, env.ENV_FILE || '.env');
  if (!fs.existsSync(file)) {
    if (env.ENV_FILE) throw new SettingError('ENV_FILE', `ENV_FILE: ${file} does not exist`);
    return null;
  }
  process.loadEnvFile(file);
  return file;
}
