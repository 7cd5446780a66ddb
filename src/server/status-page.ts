// Renders the status page at `/` from a StatusModel: server-side HTML with one inline style sheet
// and one inline script (status-assets.ts), no external assets. Pure: plain data in, a string
// out. Every value passes through escapeHtml and untrusted names sit in <bdi>, so a name with
// markup or bidirectional tricks shows as the text it is.

import { formatDays, formatRelative, formatTimestamp } from "../status/format.js";
import { SOURCE_CATALOGUE } from "../source-names.js";
import type {
  CertificateRow,
  InstanceRow,
  Problem,
  SourceRow,
  StatusModel,
} from "../status/model.js";
import { SEVERITIES, type CcmUser, type Severity, type Usage } from "../status/severity.js";
import { escapeHtml } from "./html.js";
import { STATUS_SCRIPT, STATUS_STYLE } from "./status-assets.js";

const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  expired: "Expired",
  critical: "Critical",
  warning: "Warning",
  notice: "Notice",
  ok: "OK",
};

/** Escaped text. */
const t = (text: string): string => escapeHtml(text);
/** Escaped untrusted text, isolated from the surrounding text direction. */
const u = (text: string): string => (text === "" ? "" : `<bdi>${escapeHtml(text)}</bdi>`);

export function renderStatusPage(model: StatusModel): string {
  const now = model.generatedAtSeconds;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${t(headline(model))} · huaweicloud-cert-exporter</title>
<style>${STATUS_STYLE}</style>
</head>
<body>
<header>
<h1>Huawei Cloud certificates</h1>
<p class="meta">${pollLine(model, now)}</p>
${summary(model)}
${model.completedPolls === 0 ? '<p class="notice">The first poll has not completed yet; this page fills in when it has.</p>' : ""}
</header>
<main>
${certificateSection(model)}
${problemSection(model.problems)}
${sourceSection(model.sources, now)}
${instanceSection(model.instances)}
</main>
<footer>
<p>Colours follow the alert rules. A certificate in use (or whose use is unknown) is <b>warning</b> when less than min(30&nbsp;% of its lifetime, 28&nbsp;days) is left, <b>critical</b> below min(10&nbsp;%, 7&nbsp;days) or when Cloud Certificate Manager reports it revoked, and <b>expired</b> once past its notAfter or reported expired: those page. Without a known lifetime (an ELB <code>expire_time</code> alone) the limits are 28 and 7&nbsp;days; a resource's own thresholds (<code>HWCERT_CERTIFICATE_THRESHOLDS</code>) replace them.</p>
<p>A certificate only <b>stored</b> (an ELB certificate on no listener, or a resource listed in <code>HWCERT_STORED_CERTIFICATES</code> that nothing visibly uses) is a <b>notice</b> once within its warning limit, revoked or expired, and never pages. A CCM certificate that no ELB certificate or GeminiDB instance uses counts as in use unless it is listed there: it may be installed outside Huawei Cloud.</p>
<p>huaweicloud-cert-exporter ${t(model.version)} · page generated ${t(formatTimestamp(now))} · <a href="?format=json">JSON</a> · <a href="/metrics">/metrics</a> · <a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a></p>
</footer>
<script>${STATUS_SCRIPT}</script>
</body>
</html>
`;
}

function headline(model: StatusModel): string {
  const urgent = model.counts.expired + model.counts.critical;
  if (urgent > 0) return `${urgent} need attention`;
  if (model.counts.warning > 0) return `${model.counts.warning} expiring soon`;
  return "Certificates";
}

function pollLine(model: StatusModel, now: number): string {
  const parts: string[] = [];
  if (model.lastPoll) {
    const { startedAtSeconds, finishedAtSeconds } = model.lastPoll;
    const took = Math.max(0, finishedAtSeconds - startedAtSeconds);
    parts.push(
      `Last poll <time>${t(formatTimestamp(finishedAtSeconds))}</time> (${t(formatRelative(finishedAtSeconds, now))}, took ${t(took.toFixed(1))}&nbsp;s)`,
    );
  } else {
    parts.push("No poll completed yet");
  }
  if (model.pollInProgress) parts.push("polling now");
  parts.push(
    model.nextPollSeconds === null
      ? "no poll scheduled"
      : `next poll <time>${t(formatTimestamp(model.nextPollSeconds))}</time> (${t(formatRelative(model.nextPollSeconds, now))})`,
  );
  return parts.join(" · ");
}

function summary(model: StatusModel): string {
  const chips = SEVERITIES.map(
    (severity) =>
      `<li class="chip sev-${severity}">${model.counts[severity]} ${SEVERITY_LABELS[severity].toLowerCase()}</li>`,
  );
  const polled = model.sources.filter((source) => source.lastAttemptSeconds !== null);
  const down = polled.filter((source) => !source.up).length;
  chips.push(
    `<li class="chip${down > 0 ? " down" : ""}">sources ${polled.length - down}/${model.sources.length} up</li>`,
  );
  const linksDown = model.instances.reduce(
    (count, instance) => count + instance.links.filter((link) => !link.up).length,
    0,
  );
  if (linksDown > 0) chips.push(`<li class="chip down">${linksDown} CA link(s) down</li>`);
  const unreadable = model.problems.filter((problem) => problem.resource !== null).length;
  if (unreadable > 0) {
    chips.push(
      `<li class="chip problem">${unreadable} resource problem${unreadable === 1 ? "" : "s"}</li>`,
    );
  }
  return `<ul class="summary" aria-label="Summary">${chips.join("")}</ul>`;
}

function certificateSection(model: StatusModel): string {
  const rows = model.certificates;
  const columns: [label: string, type: "number" | "text"][] = [
    ["Status", "number"],
    ["Days left", "number"],
    ["Not after (UTC)", "number"],
    ["Certificate", "text"],
    ["Source", "text"],
    ["Region / project", "text"],
    ["Subject CN", "text"],
    ["Chain", "text"],
    ["In use", "number"],
  ];
  const head = columns
    .map(
      ([label, type], index) =>
        `<th scope="col" data-type="${type}"${index === 1 ? ' aria-sort="ascending"' : ""}><button type="button">${t(label)}</button></th>`,
    )
    .join("");
  return `<section aria-labelledby="certificates-title">
<div class="bar"><h2 id="certificates-title">Certificates</h2>
<label>Filter <input id="filter" type="search" placeholder="name, CN, region, status…" autocomplete="off" spellcheck="false"></label>
<span id="shown" class="count" aria-live="polite">${rows.length} of ${rows.length} shown</span></div>
<table id="certificates">
<thead><tr>${head}</tr></thead>
<tbody>
${rows.map((row, index) => certificateRow(row, index)).join("\n")}
</tbody>
</table>
<p id="no-match" class="empty" hidden>No certificate matches the filter.</p>
${rows.length === 0 ? '<p class="empty">No certificates found.</p>' : ""}
</section>`;
}

function certificateRow(row: CertificateRow, index: number): string {
  const days = formatDays(row.secondsLeft);
  const chain =
    row.kind === "expire_time"
      ? '<span title="No readable certificate matches it: the ELB API\'s expire_time">expire_time<span class="sub">(API)</span></span>'
      : row.kind === "ccm"
        ? `<span title="Validity from Cloud Certificate Manager's API">ccm<span class="sub">${u(row.ccmStatus ?? "")}</span></span>`
        : t(row.chainPosition ?? "");
  const managedBy =
    row.kind !== "ccm" && row.ccmCertificateId !== null
      ? `<span class="sub" title="Managed in Cloud Certificate Manager: renew it there">CCM ${u(row.ccmCertificateId)}</span>`
      : "";
  const issuer = row.issuerCn ? `<span class="sub">issuer ${u(row.issuerCn)}</span>` : "";
  return `<tr class="sev-${row.severity}" data-severity="${row.severity}" data-order="${index}">\
<td data-sort="${SEVERITIES.indexOf(row.severity)}"><span class="badge">${SEVERITY_LABELS[row.severity]}</span></td>\
<td class="num" data-sort="${row.secondsLeft}">${t(days)}</td>\
<td class="nowrap" data-sort="${row.notAfter}"><time>${t(formatTimestamp(row.notAfter).replace(/ UTC$/, ""))}</time></td>\
<td data-sort="${t(row.resourceName)}">${u(row.resourceName)}<span class="sub id" title="${t(row.resourceId)}">${u(row.resourceId)}</span></td>\
<td class="nowrap" data-sort="${t(row.source)}">${SOURCE_CATALOGUE[row.source].label}<span class="sub">${u(row.resourceType)}</span>${managedBy}</td>\
<td data-sort="${t(`${row.region} ${row.projectId}`)}">${u(row.region)}<span class="sub id" title="${t(row.projectId)}">${u(row.projectId || "(unknown project)")}</span></td>\
<td data-sort="${t(row.subjectCn)}">${u(row.subjectCn)}${issuer}</td>\
<td class="nowrap" data-sort="${t(row.chainPosition ?? "~")}">${chain}</td>\
${usageCell(row)}</tr>`;
}

const ROLE_LABELS = { default: "default", sni: "SNI", client_ca: "client CA" } as const;

const STORED = (title: string): string =>
  `<td data-sort="0"><span class="stored" title="${t(title)}">stored only</span></td>`;

/**
 * Who uses the certificate, as severity.ts decided it: stored, unknown and assumed said so. Read
 * from what the row holds, not from its source's name: its users (a CCM certificate), its
 * listeners (an ELB certificate), else the resource itself serves it (a GeminiDB instance).
 */
function usageCell(row: CertificateRow): string {
  if (row.usage === "unknown") {
    return '<td data-sort="-1"><span class="sub" title="The listener list has not been read yet; judged as in use">unknown</span></td>';
  }
  if (row.usedBy !== null) return usersCell(row.usage, row.usedBy);
  if (row.listeners !== null || row.usage === "stored") {
    return listenersCell(row.usage, row.listeners);
  }
  const noun = SOURCE_CATALOGUE[row.source].resourceNoun;
  return `<td data-sort="1"><span title="The ${noun} serves this CA">${noun}</span></td>`;
}

/** An ELB certificate: only stored, or the listeners that use it. */
function listenersCell(usage: Usage, listeners: CertificateRow["listeners"]): string {
  const uses = listeners ?? [];
  if (usage === "stored") {
    return STORED(
      uses.length === 0 && listeners !== null
        ? "No ELB listener uses this certificate"
        : "Listed in HWCERT_STORED_CERTIFICATES",
    );
  }
  const items = uses
    .map((use) => {
      const port = use.port === null ? "" : ` ${use.port}`;
      return `<li>${ROLE_LABELS[use.role]} · ${u(use.listenerName || use.listenerId)}<span class="sub">${u(use.protocol)}${t(port)}${use.loadBalancerId ? ` · ${u(use.loadBalancerId)}` : ""}</span></li>`;
    })
    .join("");
  const count = `${uses.length} listener${uses.length === 1 ? "" : "s"}`;
  return `<td data-sort="${uses.length}"><details class="uses"><summary>${count}</summary><ul>${items}</ul></details></td>`;
}

/** A CCM certificate: only stored, assumed in use, or the resources that use it. */
function usersCell(usage: Usage, users: readonly CcmUser[]): string {
  if (usage === "stored") {
    return STORED(
      "Listed in HWCERT_STORED_CERTIFICATES; no ELB certificate or GeminiDB instance uses it",
    );
  }
  if (users.length === 0) {
    return '<td data-sort="0.5"><span class="sub" title="No ELB certificate or GeminiDB instance uses it, but it may be installed outside Huawei Cloud; list it in HWCERT_STORED_CERTIFICATES if it is only stored">assumed in use</span></td>';
  }
  const items = users
    .map(
      (user) =>
        `<li>${SOURCE_CATALOGUE[user.source].label} · ${u(user.resourceName || user.resourceId)}<span class="sub">${u(user.region)} · ${u(user.projectId)}</span></li>`,
    )
    .join("");
  const count = `${users.length} user${users.length === 1 ? "" : "s"}`;
  return `<td data-sort="${users.length}"><details class="uses"><summary>${count}</summary><ul>${items}</ul></details></td>`;
}

/** What could not be read: whole sources and single resources, each named. */
function problemSection(problems: readonly Problem[]): string {
  if (problems.length === 0) return "";
  const rows = problems.map((problem) => {
    const resource = problem.resource;
    const { label, resourceNoun } = SOURCE_CATALOGUE[problem.source];
    const what =
      resource === null
        ? `The whole source<span class="sub">${label}</span>`
        : `${u(resource.name)}<span class="sub id" title="${t(resource.id)}">${u(resource.id)}</span>\
<span class="sub">${label} ${resourceNoun}${resource.category ? ` · link ${u(resource.category)}` : ""}</span>`;
    return `<tr class="down"><td>${what}</td>\
<td>${u(problem.region)}<span class="sub id" title="${t(problem.projectId)}">${u(problem.projectId || "(unknown project)")}</span></td>\
<td><code>${t(problem.reason ?? "unknown")}</code></td><td>${u(problem.message)}</td></tr>`;
  });
  return `<section aria-labelledby="problems-title">
<div class="bar"><h2 id="problems-title">Could not read</h2><span class="count">${problems.length} problem${problems.length === 1 ? "" : "s"}; the last good data stays listed above</span></div>
<table id="problems">
<thead><tr><th scope="col">Resource</th><th scope="col">Region / project</th><th scope="col">Reason</th><th scope="col">Detail</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
</section>`;
}

function sourceSection(sources: readonly SourceRow[], now: number): string {
  const rows = sources.map((source) => {
    const state = source.lastAttemptSeconds === null ? "idle" : source.up ? "up" : "down";
    const label = state === "idle" ? "not polled" : state;
    const error = source.lastError
      ? `<code>${t(source.lastError.reason)}</code> ${u(source.lastError.message)}`
      : "—";
    return `<tr class="${state}"><td>${SOURCE_CATALOGUE[source.source].label}</td>\
<td>${u(source.region)}<span class="sub id" title="${t(source.projectId)}">${u(source.projectId || "(unknown project)")}</span></td>\
<td><span class="badge">${label}</span></td>\
<td class="nowrap">${t(formatTimestamp(source.lastSuccessSeconds))}<span class="sub">${t(formatRelative(source.lastSuccessSeconds, now))}</span></td>\
<td class="nowrap">${t(formatTimestamp(source.lastAttemptSeconds))}<span class="sub">${t(formatRelative(source.lastAttemptSeconds, now))}</span></td>\
<td class="num">${source.resources}</td><td>${error}</td></tr>`;
  });
  return `<section aria-labelledby="sources-title">
<div class="bar"><h2 id="sources-title">Sources</h2></div>
<table id="sources">
<thead><tr><th scope="col">Source</th><th scope="col">Region / project</th><th scope="col">State</th><th scope="col">Last success</th><th scope="col">Last attempt</th><th scope="col">Resources</th><th scope="col">Last error</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
</section>`;
}

function instanceSection(instances: readonly InstanceRow[]): string {
  if (instances.length === 0) return "";
  const rows = instances.map((instance) => {
    const down = instance.links.some((link) => !link.up);
    const state = instance.links.length === 0 ? "idle" : down ? "down" : "up";
    const label = instance.links.length === 0 ? "not probed" : down ? "link down" : "links up";
    const links =
      instance.links.length === 0
        ? instance.certOrigin === "ccm"
          ? `Certificate kept in Cloud Certificate Manager${instance.ccmCertificateId ? ` (${u(instance.ccmCertificateId)})` : ""}; no download link to probe.`
          : instance.ssl === "1"
            ? "No download link known."
            : "SSL is off; nothing to probe."
        : `<ul class="links">${instance.links
            .map((link) => {
              const name = link.category ? u(link.category) : "(no category)";
              const status = link.statusCode > 0 ? `HTTP ${link.statusCode}` : "no answer";
              const time =
                link.durationSeconds === null ? "" : `, ${link.durationSeconds.toFixed(2)}&nbsp;s`;
              const detail = link.up
                ? `up (${status}${time}, ${link.certificates} certificate${link.certificates === 1 ? "" : "s"})`
                : `<b>down</b>: <code>${t(link.reason ?? "unknown")}</code> (${status}${time})`;
              return `<li>${name}: ${detail}</li>`;
            })
            .join("")}</ul>`;
    return `<tr class="${state}"><td>${u(instance.name)}<span class="sub id" title="${t(instance.id)}">${u(instance.id)}</span></td>\
<td>${u(instance.datastoreType)}</td><td>${u(instance.region)}<span class="sub id" title="${t(instance.projectId)}">${u(instance.projectId)}</span></td>\
<td>${instance.ssl === "1" ? "on" : instance.ssl === "0" ? "off" : "unknown"}</td>\
<td><span class="badge">${label}</span></td><td>${links}</td></tr>`;
  });
  return `<section aria-labelledby="instances-title">
<div class="bar"><h2 id="instances-title">GeminiDB CA download links</h2></div>
<table id="instances">
<thead><tr><th scope="col">Instance</th><th scope="col">Datastore</th><th scope="col">Region / project</th><th scope="col">SSL</th><th scope="col">Link health</th><th scope="col">Links</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
</section>`;
}
