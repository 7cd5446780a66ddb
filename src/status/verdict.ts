// The `check` command's verdict: one exit code for a whole poll, for cron jobs and pipelines.
// Pure: the model (its rows' severities decided by severity.ts) in, the code and its cause out.
// Precedence, most important first: what would page (an expired or critical certificate in use,
// 2) is never hidden by an outage elsewhere; an unreadable source or resource (3) is never
// hidden by a mere warning (1). A notice (a stored certificate) never changes the code.

import type { StatusModel } from "./model.js";

export const CHECK_EXIT_CODES = {
  ok: 0,
  warning: 1,
  critical: 2,
  unreadable: 3,
} as const;

export type CheckStatus = keyof typeof CHECK_EXIT_CODES;
export type CheckExitCode = (typeof CHECK_EXIT_CODES)[CheckStatus];

export interface CheckVerdict {
  readonly status: CheckStatus;
  readonly exitCode: CheckExitCode;
  /** One line saying why, e.g. `2 certificates expired or within the critical limit`. */
  readonly summary: string;
}

export function checkVerdict(model: StatusModel): CheckVerdict {
  const urgent = model.counts.expired + model.counts.critical;
  const unreadable = model.problems.length;
  // A resource with several problems (two links down, a PEM and a time) is one resource.
  const unreadableSources = model.problems.filter((problem) => problem.resource === null).length;
  const unreadableResources = new Set(
    model.problems.flatMap((problem) =>
      problem.resource === null
        ? []
        : [[problem.source, problem.region, problem.projectId, problem.resource.id].join("\u0000")],
    ),
  ).size;
  const warning = model.counts.warning;
  const notice = model.counts.notice;
  const plural = (count: number, word: string): string =>
    `${count} ${word}${count === 1 ? "" : "s"}`;
  const verdict = (status: CheckStatus, summary: string): CheckVerdict => ({
    status,
    exitCode: CHECK_EXIT_CODES[status],
    summary,
  });
  if (urgent > 0) {
    return verdict(
      "critical",
      `${plural(urgent, "certificate")} expired, revoked or within the critical limit`,
    );
  }
  if (unreadable > 0) {
    const what = [
      ...(unreadableSources > 0 ? [plural(unreadableSources, "source")] : []),
      ...(unreadableResources > 0 ? [plural(unreadableResources, "resource")] : []),
    ];
    return verdict("unreadable", `${what.join(" and ")} could not be read`);
  }
  if (warning > 0) {
    return verdict("warning", `${plural(warning, "certificate")} within the warning limit`);
  }
  const total = plural(model.certificates.length, "certificate");
  return notice > 0
    ? verdict("ok", `${total}, none in use needing attention; ${notice} stored only with a notice`)
    : verdict("ok", `${total}, all fine`);
}
