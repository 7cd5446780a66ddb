// The typed, frozen configuration the rest of the daemon receives. Everything here has been
// validated by load-config.ts; no other module reads the environment.

import type { SourceName } from "../sources.js";
import type { Secret } from "./secret.js";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How the cloud client proves who it is. AK/SK and password variants join this union. */
export type AuthConfig = { readonly kind: "token"; readonly token: Secret };

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface Config {
  readonly region: string;
  readonly projectId: string;
  readonly auth: AuthConfig;
  readonly endpoints: {
    readonly elb: string;
    readonly geminidb: string;
    readonly iam: string;
  };
  /** The sources polled, in a stable order, without duplicates. */
  readonly sources: readonly SourceName[];
  readonly elb: {
    /** `null`: discover every certificate of the project through the list API. */
    readonly certificateIds: readonly string[] | null;
  };
  readonly geminidb: {
    /** `null`: discover every instance of the project through the list API. */
    readonly instanceIds: readonly string[] | null;
  };
  readonly download: {
    readonly maxBytes: number;
    /** Lower-case host names, IP literals, or `*.suffix` patterns. */
    readonly allowedHosts: readonly string[];
    readonly allowHttp: boolean;
  };
  readonly pollSchedule: string;
  readonly listen: ListenAddress;
  readonly httpTimeoutMs: number;
  readonly concurrency: number;
  readonly logLevel: LogLevel;
}
