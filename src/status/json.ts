// The JSON form of the status model (`/?format=json` and `check --output json`): the same rows
// with ISO 8601 times next to the numbers a script compares. Pure; field names are a contract
// for scripts, so add fields rather than rename them.

import { isoTimestamp, roundDays, truncateDays } from "./format.js";
import type { StatusModel } from "./model.js";

export function statusToJson(model: StatusModel): Record<string, unknown> {
  return {
    version: model.version,
    generatedAt: isoTimestamp(model.generatedAtSeconds),
    completedPolls: model.completedPolls,
    lastPoll: model.lastPoll && {
      startedAt: isoTimestamp(model.lastPoll.startedAtSeconds),
      finishedAt: isoTimestamp(model.lastPoll.finishedAtSeconds),
    },
    nextPoll: isoTimestamp(model.nextPollSeconds),
    pollInProgress: model.pollInProgress,
    summary: {
      ...model.counts,
      certificates: model.certificates.length,
      sourcesDown: model.problems.filter((problem) => problem.resource === null).length,
      caLinksDown: caLinksDown(model),
      // Problems of single resources (a broken PEM, a failing CA link, …), listed in `problems`.
      resourceProblems: model.problems.filter((problem) => problem.resource !== null).length,
    },
    certificates: model.certificates.map((row) => ({
      severity: row.severity,
      daysLeft: truncateDays(row.secondsLeft),
      secondsLeft: Math.round(row.secondsLeft),
      notAfter: isoTimestamp(row.notAfter),
      notBefore: isoTimestamp(row.notBefore),
      source: row.source,
      region: row.region,
      projectId: row.projectId,
      resourceId: row.resourceId,
      resourceName: row.resourceName,
      resourceType: row.resourceType,
      kind: row.kind,
      chainPosition: row.chainPosition,
      subjectCn: row.subjectCn,
      issuerCn: row.issuerCn,
      serialNumber: row.serialNumber,
      fingerprintSha256: row.fingerprintSha256,
      ccmCertificateId: row.ccmCertificateId,
      ccmStatus: row.ccmStatus,
      warningBelowDays: roundDays(row.thresholds.warningSeconds),
      criticalBelowDays: roundDays(row.thresholds.criticalSeconds),
      // null: unknown (or a source without listeners); []: stored only, in use by nothing.
      listeners: row.listeners,
      // in_use, stored (a notice at most, never paging) or unknown (judged as in use).
      usage: row.usage,
      // CCM rows: the ELB certificates and GeminiDB instances using it; null for other rows.
      usedBy: row.usedBy,
    })),
    sources: model.sources.map((source) => ({
      source: source.source,
      region: source.region,
      projectId: source.projectId,
      up: source.up,
      lastSuccess: isoTimestamp(source.lastSuccessSeconds),
      lastAttempt: isoTimestamp(source.lastAttemptSeconds),
      lastError: source.lastError,
      resources: source.resources,
    })),
    geminidbInstances: model.instances.map((instance) => ({
      region: instance.region,
      projectId: instance.projectId,
      id: instance.id,
      name: instance.name,
      datastoreType: instance.datastoreType,
      ssl: instance.ssl,
      certOrigin: instance.certOrigin,
      ccmCertificateId: instance.ccmCertificateId,
      links: instance.links,
    })),
    problems: model.problems,
  };
}

function caLinksDown(model: StatusModel): number {
  let down = 0;
  for (const instance of model.instances) down += instance.links.filter((link) => !link.up).length;
  return down;
}
