// Renders the polled state (a Snapshot) into Prometheus text. Pure apart from prom-client's
// own work: a private registry per render, no network, no clock. The result is cached by the
// caller and served until the next poll, so scrapes cost no rendering.

import { Gauge, Registry } from "prom-client";
import type { ParsedCertificate } from "../certs/types.js";
import type { Snapshot, SourceKey } from "../poll/snapshot.js";
import { METRICS } from "./contract.js";

export interface RenderedMetrics {
  readonly text: string;
  readonly contentType: string;
}

export async function renderSnapshotMetrics(snapshot: Snapshot): Promise<RenderedMetrics> {
  const registry = new Registry();
  const gauge = <const L extends readonly string[]>(spec: {
    name: string;
    help: string;
    labelNames: L;
  }): Gauge<L[number]> =>
    new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labelNames,
      registers: [registry],
    });

  const elbExpire = gauge(METRICS.elbExpire);
  const notAfter = gauge(METRICS.notAfter);
  const notBefore = gauge(METRICS.notBefore);
  const info = gauge(METRICS.info);
  const sourceUp = gauge(METRICS.sourceUp);
  const lastSuccess = gauge(METRICS.sourceLastSuccess);

  for (const source of snapshot.sources) {
    const sourceLabels = {
      source: source.source,
      region: source.region,
      project_id: source.projectId,
    };
    sourceUp.set(sourceLabels, source.up ? 1 : 0);
    if (source.lastSuccessSeconds !== null) {
      lastSuccess.set(sourceLabels, Math.floor(source.lastSuccessSeconds));
    }
    for (const certificate of source.certificates.values()) {
      if (certificate.expireTimeSeconds !== null) {
        elbExpire.set(
          {
            region: source.region,
            project_id: source.projectId,
            certificate_id: certificate.id,
            certificate_name: certificate.name,
            certificate_type: certificate.type,
          },
          certificate.expireTimeSeconds,
        );
      }
      for (const x509 of certificate.certificates) {
        const labels = x509Labels(source, certificate.id, certificate.name, x509);
        notAfter.set(labels, x509.notAfter);
        notBefore.set(labels, x509.notBefore);
        info.set(infoLabels(source, certificate.id, x509), 1);
      }
    }
  }
  return { text: await registry.metrics(), contentType: registry.contentType };
}

function x509Labels(
  source: SourceKey,
  resourceId: string,
  resourceName: string,
  x509: ParsedCertificate,
): Record<(typeof METRICS.notAfter.labelNames)[number], string> {
  return {
    source: source.source,
    region: source.region,
    project_id: source.projectId,
    resource_id: resourceId,
    resource_name: resourceName,
    chain_position: x509.chainPosition,
    subject_cn: x509.subjectCn,
    issuer_cn: x509.issuerCn,
    serial_number: x509.serialNumber,
  };
}

function infoLabels(
  source: SourceKey,
  resourceId: string,
  x509: ParsedCertificate,
): Record<(typeof METRICS.info.labelNames)[number], string> {
  return {
    source: source.source,
    region: source.region,
    project_id: source.projectId,
    resource_id: resourceId,
    serial_number: x509.serialNumber,
    fingerprint_sha256: x509.fingerprintSha256,
    subject: x509.subject,
    issuer: x509.issuer,
    sans: x509.sans,
    key_algorithm: x509.keyAlgorithm,
  };
}
