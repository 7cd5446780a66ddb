// Reads HWCERT_CONFIG_FILE: a YAML (or JSON, a subset of YAML) list of targets. Checks its
// shape with zod (unknown keys are errors, so typos do not pass silently) and resolves each
// target's own credentials. Secrets are never written in the file itself: they come from a
// file (`*_file`, as Kubernetes and Docker mount secrets) or an environment variable (`*_env`).
// Every error names the file and the path inside it. The file may also hold per-certificate
// expiry thresholds (`thresholds:`), which apply to whichever target finds the resource.

import { parseDocument } from "yaml";
import { z } from "zod";
import type { AuthConfig } from "./config.js";
import { readThresholdOverride, type ThresholdOverride } from "./expiry-thresholds.js";
import {
  readSecretFromFile,
  resolveAuth,
  type CredentialFields,
  type CredentialNames,
} from "./credentials.js";
import { describeIssues } from "./file-issues.js";
import type { Problems } from "./problems.js";
import { Secret } from "./secret.js";
import { mapServices, type PerService } from "./target-endpoints.js";

export interface FileTarget {
  readonly name: string | undefined;
  readonly region: string;
  readonly projectId: string | undefined;
  readonly domainId: string | undefined;
  readonly sources: readonly string[] | undefined;
  /** The target's own endpoint templates; undefined where the environment's apply. */
  readonly endpoints: PerService<string | undefined>;
  readonly certificateIds: readonly string[] | undefined;
  readonly instanceIds: readonly string[] | undefined;
  /** The target's own credentials; "none" when it names none (the environment's apply). */
  readonly auth: AuthConfig | "none" | undefined;
}

const text = z.string().trim().min(1, "must not be empty");
const inlineSecret = (field: string) =>
  z.never({ error: `write no secret in the file: use ${field}_file or ${field}_env` }).optional();

const credentialsSchema = z.strictObject({
  token: inlineSecret("token"),
  token_file: text.optional(),
  token_env: text.optional(),
  access_key: text.optional(),
  access_key_file: text.optional(),
  access_key_env: text.optional(),
  secret_key: inlineSecret("secret_key"),
  secret_key_file: text.optional(),
  secret_key_env: text.optional(),
  security_token: inlineSecret("security_token"),
  security_token_file: text.optional(),
  security_token_env: text.optional(),
  domain: text.optional(),
  username: text.optional(),
  password: inlineSecret("password"),
  password_file: text.optional(),
  password_env: text.optional(),
});

const targetSchema = z.strictObject({
  name: text.optional(),
  region: text,
  project_id: text.optional(),
  domain_id: text.optional(),
  sources: z
    .union([z.array(text).min(1, "lists no source"), text.transform((s) => s.split(","))], {
      error: 'must be a list such as [elb, ccm] or text such as "elb,ccm"',
    })
    .optional(),
  endpoints: z.strictObject(mapServices(() => text.optional())).optional(),
  elb_certificate_ids: z.array(text).min(1, "lists no certificate id").optional(),
  geminidb_instance_ids: z.array(text).min(1, "lists no instance id").optional(),
  credentials: credentialsSchema.optional(),
});

const thresholdSchema = z.strictObject({ warning: text, critical: text });

const fileSchema = z.strictObject({
  targets: z.array(targetSchema).min(1, "lists no target"),
  thresholds: z.record(text, thresholdSchema).optional(),
});

export interface TargetsFile {
  readonly targets: readonly FileTarget[];
  /** Per-resource expiry thresholds, keyed by resource id (ids not yet checked). */
  readonly thresholds: ReadonlyMap<string, ThresholdOverride>;
}

type FileCredentials = z.infer<typeof credentialsSchema>;

export function readTargetsFile(
  problems: Problems,
  file: string,
  readConfigFile: (path: string) => string,
  readSecretFile: (path: string) => string,
  env: Readonly<Record<string, string | undefined>>,
): TargetsFile | undefined {
  const where = `HWCERT_CONFIG_FILE: ${file}`;
  let content: string;
  try {
    content = readConfigFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    return problems.add("HWCERT_CONFIG_FILE", `cannot read "${file}" (${code})`);
  }
  const document = parseDocument(content, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const line = error.linePos?.[0];
      const position = line ? `line ${String(line.line)}, column ${String(line.col)}: ` : "";
      const message = (error.message.split("\n")[0] ?? "not valid YAML").replace(
        / at line \d+, column \d+:?$/,
        "",
      );
      problems.add(where, `${position}${message}`);
    }
    return undefined;
  }
  const data: unknown = document.toJS();
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of describeIssues(fileSchema, data, parsed.error.issues)) {
      problems.add(issue.path === "" ? where : `${where}: ${issue.path}`, issue.message);
    }
    return undefined;
  }
  let complete = true;
  const targets: FileTarget[] = [];
  for (const [index, target] of parsed.data.targets.entries()) {
    const path = `${where}: targets[${String(index)}].credentials`;
    const auth =
      target.credentials === undefined
        ? "none"
        : readCredentials(problems, path, target.credentials, readSecretFile, env);
    if (auth === undefined) complete = false;
    targets.push({
      name: target.name,
      region: target.region,
      projectId: target.project_id,
      domainId: target.domain_id,
      sources: target.sources,
      endpoints: mapServices((service) => target.endpoints?.[service]),
      certificateIds: target.elb_certificate_ids,
      instanceIds: target.geminidb_instance_ids,
      auth,
    });
  }
  const thresholds = new Map<string, ThresholdOverride>();
  for (const [id, entry] of Object.entries(parsed.data.thresholds ?? {})) {
    const override = readThresholdOverride(
      problems,
      `${where}: thresholds.${id}`,
      entry.warning,
      entry.critical,
    );
    if (override === undefined) complete = false;
    else thresholds.set(id, override);
  }
  return complete ? { targets, thresholds } : undefined;
}

function readCredentials(
  problems: Problems,
  path: string,
  credentials: FileCredentials,
  readSecretFile: (path: string) => string,
  env: Readonly<Record<string, string | undefined>>,
): AuthConfig | "none" | undefined {
  const secret = (field: "token" | "access_key" | "secret_key" | "security_token" | "password") => {
    const filePath = credentials[`${field}_file`];
    const envName = credentials[`${field}_env`];
    if (filePath !== undefined && envName !== undefined) {
      return problems.add(`${path}.${field}_file`, `set ${field}_file or ${field}_env, not both`);
    }
    if (filePath !== undefined) {
      return readSecretFromFile(problems, `${path}.${field}_file`, filePath, readSecretFile);
    }
    if (envName !== undefined) {
      const value = env[envName]?.trim();
      if (!value)
        return problems.add(`${path}.${field}_env`, `environment variable ${envName} is not set`);
      return new Secret(value);
    }
    return undefined;
  };
  const problemsBefore = problems.list.length;
  const accessKey =
    credentials.access_key !== undefined
      ? new Secret(credentials.access_key)
      : secret("access_key");
  const fields: CredentialFields = {
    token: secret("token"),
    accessKey,
    secretKey: secret("secret_key"),
    securityToken: secret("security_token"),
    domain: credentials.domain,
    username: credentials.username,
    password: secret("password"),
  };
  const names: CredentialNames = {
    token: "token_file/token_env",
    accessKey: "access_key",
    secretKey: "secret_key_file/secret_key_env",
    securityToken: "security_token_file/security_token_env",
    domain: "domain",
    username: "username",
    password: "password_file/password_env",
  };
  // A secret that could not be read is reported already: stop before "names no credentials".
  if (problems.list.length > problemsBefore) return undefined;
  const auth = resolveAuth(problems, fields, names, path);
  if (auth === "none") return problems.add(path, "names no credentials");
  return auth;
}
