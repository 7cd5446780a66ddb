// The pino logger factory: JSON lines to an injectable destination (stdout by default), with
// structural redaction (known secret fields are censored by path, errors are reduced to safe
// fields) and every line passed through the SecretScrubber. Modules log constant messages with
// context in fields.

import { pino, type DestinationStream, type Logger } from "pino";
import { SecretScrubber } from "./scrub.js";

export type { Logger } from "pino";

export interface LoggerOptions {
  readonly level: string;
  readonly destination?: DestinationStream;
  readonly scrubber?: SecretScrubber;
}

/** Field names whose values are credentials wherever they appear (up to two levels deep). */
const SECRET_FIELDS = [
  "token",
  "authToken",
  "password",
  "secret",
  "sk",
  "secretKey",
  "securityToken",
  "private_key",
  "privateKey",
  "authorization",
  "Authorization",
  "x-auth-token",
  "X-Auth-Token",
  "x-security-token",
  "X-Security-Token",
  "x-subject-token",
  "X-Subject-Token",
  "headers",
  "signature",
];

const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(field) ? `.${field}` : `["${field}"]`;
  return [key.replace(/^\./, ""), `*${key}`, `*.*${key}`];
});

/** Reduces any thrown value to fields that are safe to print (no options, headers or bodies). */
export function serializeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const safe: Record<string, unknown> = { type: error.name, message: error.message };
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" || typeof code === "number") safe["code"] = code;
    if (error.stack) safe["stack"] = error.stack;
    return safe;
  }
  return { type: typeof error, message: String(error) };
}

export function createLogger(options: LoggerOptions): Logger {
  const scrubber = options.scrubber ?? new SecretScrubber();
  return pino(
    {
      name: "huaweicloud-cert-exporter",
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: "[REDACTED]" },
      serializers: { err: serializeError, error: serializeError },
      hooks: { streamWrite: (line) => scrubber.scrub(line) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
