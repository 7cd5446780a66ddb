// The `check` command's text report: a table of every certificate (least time left first), the
// sources and resources that could not be read (each named), and the verdict. Pure: model and
// verdict in, text out. Cloud names are made terminal-safe; colour only when the caller says
// stdout can show it. The JSON form is statusToJson plus the verdict.

import { SOURCE_CATALOGUE } from "../source-names.js";
import { formatDays, formatTimestamp } from "./format.js";
import type { CertificateRow, Problem, StatusModel } from "./model.js";
import { statusToJson } from "./json.js";
import { displayWidth, padToWidth, terminalSafe, truncateToWidth } from "./terminal-text.js";
import type { Severity, Usage } from "./severity.js";
import type { CheckVerdict } from "./verdict.js";

export interface CheckReportOptions {
  /** Fixed limits in days (--warn-days, --critical-days); null: the alert rules' limits. */
  readonly fixedDays: { readonly warnDays: number; readonly criticalDays: number } | null;
  /** Stored certificates were judged as if in use (--include-stored); default false. */
  readonly includeStored?: boolean;
  /** ANSI colours for the status column and the verdict. */
  readonly colour: boolean;
}

/** Widest a name-like column may be; the JSON output has every value in full. */
const MAX_COLUMN_WIDTH = 40;

const LABELS: Readonly<Record<Severity, string>> = {
  expired: "EXPIRED",
  critical: "CRITICAL",
  warning: "WARNING",
  notice: "NOTICE",
  ok: "OK",
};

const USAGE_LABELS: Readonly<Record<Usage, string>> = {
  in_use: "in use",
  stored: "stored",
  unknown: "unknown",
};

const ANSI: Readonly<Record<Severity | CheckVerdict["status"], string>> = {
  expired: "\u001b[1;31m",
  critical: "\u001b[31m",
  warning: "\u001b[33m",
  notice: "\u001b[36m",
  ok: "\u001b[32m",
  unreadable: "\u001b[1;35m",
};
const RESET = "\u001b[0m";

type Paint = (text: string, tone: Severity | CheckVerdict["status"]) => string;

const HEADER = [
  "STATUS",
  "DAYS",
  "NOT AFTER",
  "SOURCE",
  "USE",
  "CERTIFICATE",
  "SUBJECT CN",
  "CHAIN",
  "REGION",
  "PROJECT",
] as const;

export function renderCheckReport(
  model: StatusModel,
  verdict: CheckVerdict,
  options: CheckReportOptions,
): string {
  const paint: Paint = (text, tone) => (options.colour ? `${ANSI[tone]}${text}${RESET}` : text);
  const out = [...certificateTable(model.certificates, paint), ...problemLines(model.problems)];
  const counts = model.counts;
  const fixed = options.fixedDays;
  out.push(
    "",
    `${counts.expired} expired, ${counts.critical} critical${fixed === null ? "" : ` (< ${fixed.criticalDays} d)`}, ${counts.warning} warning${fixed === null ? "" : ` (< ${fixed.warnDays} d)`}, ${counts.notice} notice (stored only), ${counts.ok} ok; ${model.problems.length} unreadable.`,
    fixed === null
      ? "Limits: the alert rules' (each resource's own, else min(30 % / 10 % of the lifetime, 28 / 7 days))."
      : `Limits: fixed, ${fixed.warnDays} / ${fixed.criticalDays} days (a resource's own thresholds still win).`,
    ...(options.includeStored === true
      ? ["Stored certificates were judged as if in use (--include-stored)."]
      : []),
    paint(`Exit ${verdict.exitCode} (${verdict.status}): ${verdict.summary}.`, verdict.status),
  );
  return `${out.join("\n")}\n`;
}

/** The certificate table, columns as wide as their widest cell; the status column painted. */
function certificateTable(certificates: readonly CertificateRow[], paint: Paint): string[] {
  if (certificates.length === 0) return ["No certificates found."];
  const cell = (text: string): string => truncateToWidth(terminalSafe(text), MAX_COLUMN_WIDTH);
  const rows = certificates.map((row) => ({
    severity: row.severity,
    cells: [
      LABELS[row.severity],
      formatDays(row.secondsLeft),
      formatTimestamp(row.notAfter),
      SOURCE_CATALOGUE[row.source].label,
      USAGE_LABELS[row.usage],
      cell(row.resourceName || row.resourceId),
      cell(row.subjectCn || "-"),
      row.kind === "expire_time"
        ? "expire_time (API)"
        : row.kind === "ccm"
          ? cell(`ccm ${row.ccmStatus ?? ""}`.trim())
          : (row.chainPosition ?? "-"),
      cell(row.region),
      cell(row.projectId || "?"),
    ],
  }));
  const widths = HEADER.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => displayWidth(row.cells[column] ?? ""))),
  );
  const line = (cells: readonly string[], severity?: Severity): string =>
    cells
      .map((text, column) => {
        const padded = padToWidth(text, widths[column] ?? 0, column === 1 ? "right" : "left");
        return column === 0 && severity ? paint(padded, severity) : padded;
      })
      .join("  ")
      .trimEnd();
  return [line(HEADER), ...rows.map((row) => line(row.cells, row.severity))];
}

/** `Could not read:` and one line per problem, each naming its source and resource. */
function problemLines(problems: readonly Problem[]): string[] {
  if (problems.length === 0) return [];
  return [
    "",
    "Could not read:",
    ...problems.map((problem) => {
      const where = `${SOURCE_CATALOGUE[problem.source].label} ${problem.projectId || "?"}/${problem.region}`;
      const what = problem.resource ? ` ${resourceLabel(problem, problem.resource)}` : "";
      return `  ${terminalSafe(`${where}${what}: ${problem.reason ?? "unknown"}: ${problem.message}`)}`;
    }),
  ];
}

/** `certificate web-cert (cert-1)`, `instance orders (db-1) link international`. */
function resourceLabel(problem: Problem, resource: NonNullable<Problem["resource"]>): string {
  const named = resource.name ? `${resource.name} (${resource.id})` : resource.id;
  const link = resource.category ? ` link ${resource.category}` : "";
  return `${SOURCE_CATALOGUE[problem.source].resourceNoun} ${named}${link}`;
}

export function renderCheckJson(
  model: StatusModel,
  verdict: CheckVerdict,
  options: Pick<CheckReportOptions, "fixedDays" | "includeStored">,
): string {
  const document = {
    check: {
      exitCode: verdict.exitCode,
      status: verdict.status,
      summary: verdict.summary,
      limits: options.fixedDays === null ? "alert-rules" : "fixed-days",
      warnDays: options.fixedDays?.warnDays ?? null,
      criticalDays: options.fixedDays?.criticalDays ?? null,
      includeStored: options.includeStored ?? false,
    },
    ...statusToJson(model),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
