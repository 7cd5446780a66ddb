// `config check`: the effective settings of a valid Config as aligned text, secrets masked.
// Pure: it reads only the Config. Secret values are never revealed here except the last four
// characters of an access key id, as `aws configure list` shows them, to tell keys apart.

import type { AuthConfig, Config, TargetConfig } from "../config/config.js";
import type { Secret } from "../config/secret.js";
import { SOURCE_CATALOGUE, SOURCE_NAMES } from "../source-names.js";

const MASK = "********";

export function renderConfigReport(config: Config, warnings: readonly string[] = []): string {
  const lines: string[] = ["configuration is valid", ""];
  // Accepted but doubtful settings come first, where they are seen.
  if (warnings.length > 0) {
    for (const warning of warnings) lines.push(`warning: ${warning}`);
    lines.push("");
  }
  const field = (indent: string, name: string, value: string): void => {
    lines.push(`${indent}${name.padEnd(24 - indent.length)}${value}`);
  };
  field("", "poll schedule", `${config.pollSchedule} (UTC; the first poll runs at start-up)`);
  field("", "listen address", `${config.listen.host}:${config.listen.port}`);
  field("", "HTTP timeout", `${config.httpTimeoutMs / 1000} s per request`);
  field("", "concurrency", String(config.concurrency));
  field("", "API rate limit", `${config.apiRateLimit} requests/s per service and target`);
  field("", "log level", config.logLevel);
  field(
    "",
    "downloads",
    `at most ${config.download.maxBytes} bytes from ${config.download.allowedHosts.join(", ")}; plain http ${config.download.allowHttp ? "allowed" : "refused"}`,
  );
  field(
    "",
    "thresholds",
    config.thresholdOverrides.size === 0
      ? "lifetime-relative for every certificate"
      : [...config.thresholdOverrides]
          .map(
            ([id, override]) =>
              `${id} ${formatDays(override.warningSeconds)}/${formatDays(override.criticalSeconds)}`,
          )
          .join(", "),
  );
  field(
    "",
    "stored only",
    config.storedCertificates.size === 0
      ? "none marked (a CCM certificate nothing visibly uses counts as in use)"
      : [...config.storedCertificates].join(", "),
  );
  field(
    "",
    "owner tags",
    config.ownerTags.length === 0
      ? "none read"
      : config.ownerTags.map((tag) => `${tag.key} (label ${tag.label})`).join(", "),
  );
  lines.push("", `targets (${config.targets.length})`);
  for (const target of config.targets) {
    lines.push(`  ${target.label}`);
    field("    ", "region", target.region);
    field("    ", "project", target.projectId ?? "(looked up through IAM by the region's name)");
    field("    ", "sources", target.sources.join(", "));
    field("    ", "authentication", describeAuth(target.auth));
    for (const source of SOURCE_NAMES) {
      field("    ", `${SOURCE_CATALOGUE[source].label} endpoint`, target.endpoints[source]);
    }
    field("    ", "IAM endpoint", target.endpoints.iam);
    if (target.sources.includes("elb")) {
      field("    ", "ELB certificates", describeIds(target.elb.certificateIds, "certificate"));
    }
    if (target.sources.includes("geminidb")) {
      field("    ", "GeminiDB instances", describeIds(target.geminidb.instanceIds, "instance"));
    }
    if (target.sources.includes("ccm")) {
      field("    ", "CCM certificates", "every SSL certificate of the account (all statuses)");
      field(
        "    ",
        "domain id",
        target.domainId ??
          (target.auth.kind === "aksk"
            ? "(looked up through IAM for X-Domain-Id)"
            : "(not needed: token authentication)"),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Seconds as days, to two decimals when not whole: 1209600 → "14d", 129600 → "1.5d". */
function formatDays(seconds: number): string {
  return `${Number((seconds / 86_400).toFixed(2))}d`;
}

function describeAuth(auth: AuthConfig): string {
  switch (auth.kind) {
    case "token":
      return `static IAM token ${MASK}`;
    case "aksk":
      return `AK/SK signing, access key ${maskAccessKey(auth.accessKey)}, secret key ${MASK}${auth.securityToken ? `, security token ${MASK}` : ""}`;
    case "password":
      return `IAM user ${auth.username} of domain ${auth.domain}, password ${MASK}`;
  }
}

function maskAccessKey(secret: Secret): string {
  const value = secret.reveal();
  return value.length >= 16 ? `${"*".repeat(value.length - 4)}${value.slice(-4)}` : MASK;
}

function describeIds(
  ids: TargetConfig["elb"]["certificateIds"],
  noun: "certificate" | "instance",
): string {
  return ids === null ? `every ${noun} of the project` : ids.join(", ");
}
