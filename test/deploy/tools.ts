// Locates the Prometheus-ecosystem binaries the deployment tests run (Debian packages
// `prometheus` and `prometheus-alertmanager`, which .ci/run installs) and reads the shipped
// deployment files. A missing binary skips its tests with a loud message on a developer machine
// and fails them in CI (env CI set), so a green CI always means the real tools ran.

import { execFileSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const DEPLOY = join(ROOT, "deploy");
export const RULES_FILE = join(DEPLOY, "prometheus", "huaweicloud-cert-exporter.rules.yml");
export const ALERTMANAGER_FILE = join(DEPLOY, "alertmanager", "alertmanager.yml");
export const DASHBOARD_FILE = join(DEPLOY, "grafana", "huaweicloud-cert-exporter.json");

/** Debian package of each binary, for the messages. */
const PACKAGES: Readonly<Record<string, string>> = {
  promtool: "prometheus",
  prometheus: "prometheus",
  "prometheus-alertmanager": "prometheus-alertmanager",
  amtool: "prometheus-alertmanager",
  hadolint: "hadolint",
};

export function findBinary(name: string): string | null {
  for (const directory of (process.env["PATH"] ?? "").split(delimiter)) {
    if (directory === "") continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

export interface RequiredBinaries {
  /** True only off CI when a binary is missing: the caller skips its tests. */
  readonly skip: boolean;
  /** The binary's path; throws (naming the Debian package) when it is missing. */
  path(name: string): string;
}

export function requireBinaries(purpose: string, names: readonly string[]): RequiredBinaries {
  const found = new Map(names.map((name) => [name, findBinary(name)] as const));
  const missing = names.filter((name) => found.get(name) === null);
  const packages = [...new Set(missing.map((name) => PACKAGES[name] ?? name))].join(" ");
  const inCi = (process.env["CI"] ?? "") !== "";
  if (missing.length > 0 && !inCi) {
    console.warn(
      `\n*** SKIPPED: ${purpose}: ${missing.join(", ")} not found on PATH.` +
        ` Install with: apt-get install ${packages} (bash .ci/run does). CI never skips this. ***\n`,
    );
  }
  return {
    skip: missing.length > 0 && !inCi,
    path(name) {
      const path = found.get(name) ?? null;
      if (path === null) {
        throw new Error(
          `${purpose}: ${name} is missing and CI is set, so this test fails instead of skipping;` +
            ` .ci/run must install the Debian package(s): ${packages}`,
        );
      }
      return path;
    },
  };
}

/** Runs a tool; returns its exit status and combined output (never throws on failure). */
export function run(
  binary: string,
  args: readonly string[],
  cwd = ROOT,
): { status: number; output: string } {
  try {
    const output = execFileSync(binary, args, { cwd, encoding: "utf8", stdio: "pipe" });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status?: number | null; stdout?: string; stderr?: string };
    return { status: failed.status ?? 1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}

/** Parses YAML, applying `<<` merge keys as Docker Compose does. */
export function readYaml(path: string): unknown {
  return parse(readText(path), { merge: true });
}

/** Every document of a multi-document YAML file; a syntax error in any of them throws. */
export function readYamlDocuments(path: string): unknown[] {
  return parseAllDocuments(readText(path)).map((document) => {
    if (document.errors.length > 0) {
      throw new Error(`${path}: ${document.errors.map((e) => e.message).join("; ")}`);
    }
    return document.toJS() as unknown;
  });
}

/** A rule of the shipped file: an alert or a recording rule (exactly one of the two names). */
export interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface AlertRule extends Rule {
  readonly alert: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

export interface RecordingRule extends Rule {
  readonly record: string;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: Rule[];
}

export function readRuleGroups(): RuleGroup[] {
  return (readYaml(RULES_FILE) as { groups: RuleGroup[] }).groups;
}

export const isAlert = (rule: Rule): rule is AlertRule => rule.alert !== undefined;
export const isRecord = (rule: Rule): rule is RecordingRule => rule.record !== undefined;

/** The rule's name as Prometheus lists it (the alert or the recorded series). */
export const ruleName = (rule: Rule): string => rule.alert ?? rule.record ?? "";

/** Every hwcert_* series name an expression reads. */
export function hwcertMetricNames(expr: string): string[] {
  return [...new Set(expr.match(/\bhwcert_[a-z0-9_]+\b/g) ?? [])];
}

/** Every recorded series (`hwcert:...`) an expression reads. */
export function recordedNames(expr: string): string[] {
  return [...new Set(expr.match(/\bhwcert:[a-z0-9_:]+/g) ?? [])];
}

/** A query of the Grafana dashboard with its variables at "All", as Prometheus receives it. */
export function expandDashboardQuery(expr: string): string {
  return expr
    .replaceAll("$__rate_interval", "5m")
    .replaceAll("$job", ".*")
    .replaceAll("$region", ".*")
    .replaceAll("$project", ".*");
}
