// The typed, frozen configuration the rest of the daemon receives. Everything here has been
// validated by load-config.ts; no other module reads the environment or the targets file.

import type { SourceName } from "../source-names.js";
import type { ThresholdOverrides } from "./expiry-thresholds.js";
import type { Secret } from "./secret.js";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How the cloud client proves who it is: exactly one method per target. */
export type AuthConfig =
  | { readonly kind: "token"; readonly token: Secret }
  | {
      readonly kind: "aksk";
      readonly accessKey: Secret;
      readonly secretKey: Secret;
      /** Temporary credentials carry a security token; permanent ones do not. */
      readonly securityToken: Secret | null;
    }
  | {
      readonly kind: "password";
      readonly domain: string;
      readonly username: string;
      readonly password: Secret;
    };

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** A resource tag exported as a label: the tag key as written in the cloud, and its label. */
export interface OwnerTag {
  readonly key: string;
  /** `tag_` + the key with every character outside [a-zA-Z0-9_] replaced by `_`. */
  readonly label: string;
}

/**
 * A service a target calls at an endpoint of its own: each source, and IAM (tokens, project and
 * account lookups), which is no source.
 */
export type Service = SourceName | "iam";

/** One region and project to watch, with its own credentials, endpoints and sources. */
export interface TargetConfig {
  /** Where the target came from, for logs and errors: `environment` or `targets[2]`. */
  readonly label: string;
  readonly region: string;
  /** null: looked up through IAM by the region's name. */
  readonly projectId: string | null;
  /**
   * The account (domain) id CCM's AK/SK requests carry as X-Domain-Id; null: looked up through
   * IAM when needed.
   */
  readonly domainId: string | null;
  readonly auth: AuthConfig;
  /** Each source's API endpoint and IAM's, with the region substituted. */
  readonly endpoints: Readonly<Record<Service, string>>;
  /**
   * For each endpoint, the settings that decide it, as an operator would look for them
   * (`HWCERT_REGION or HWCERT_IAM_ENDPOINT`, or the targets file's keys): named in the error when
   * the endpoint's host cannot be reached.
   */
  readonly endpointSettings: Readonly<Record<Service, string>>;
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
}

export interface Config {
  readonly targets: readonly TargetConfig[];
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
  /** Requests per second per service and target; 0 = no limit. */
  readonly apiRateLimit: number;
  readonly logLevel: LogLevel;
  /** Per-resource expiry thresholds replacing the lifetime-relative default; usually empty. */
  readonly thresholdOverrides: ThresholdOverrides;
  /**
   * Resource ids the operator marked as only stored (HWCERT_STORED_CERTIFICATES): a notice, not a
   * page, unless something visibly uses them. Usually empty.
   */
  readonly storedCertificates: ReadonlySet<string>;
  /** Tags read from resources for ownership labels; empty: none read. */
  readonly ownerTags: readonly OwnerTag[];
  /** Where enterprise project names are read; null: names are not resolved. */
  readonly enterpriseProjectNames: { readonly endpoint: string } | null;
}

/** Every secret value of a config, for the log scrubber. */
export function secretValues(config: Config): string[] {
  return config.targets.flatMap((target) => {
    const auth = target.auth;
    switch (auth.kind) {
      case "token":
        return [auth.token.reveal()];
      case "aksk":
        return [auth.secretKey.reveal(), auth.securityToken?.reveal() ?? ""].filter(Boolean);
      case "password":
        return [auth.password.reveal()];
    }
  });
}
