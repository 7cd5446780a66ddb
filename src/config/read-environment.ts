// The I/O rim of configuration: merges a `.env` file (when present) under the real
// environment, which always wins, and reads `<NAME>_FILE` secrets from disk.

import { readFileSync } from "node:fs";
import { parse } from "dotenv";
import type { Environment } from "./read-settings.js";

/**
 * Returns the process environment over the variables of `envFile`. dotenv's parser is used on
 * its own (not `config()`), so nothing is written into process.env and nothing is printed.
 */
export function readEnvironment(processEnv: Environment, envFile = ".env"): Environment {
  let fileVariables: Record<string, string> = {};
  try {
    fileVariables = parse(readFileSync(envFile));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return { ...fileVariables, ...processEnv };
}

export function readSecretFile(path: string): string {
  return readFileSync(path, "utf8");
}
