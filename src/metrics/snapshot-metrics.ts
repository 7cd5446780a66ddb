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
  const linkUp = gauge(METRICS.geminidbLinkUp);
  const downloadStatus = gauge(METRICS.geminidbDownloadStatus);
  const downloadDuration = gauge(METRICS.geminidbDownloadDuration);
  const downloadBytes = gauge(METRICS.geminidbDownloadBytes);
  const instanceInfo = gauge(METRICS.geminidbInstanceInfo);
  const sourceUp = gauge(METRICS.sourceUp);
  const lastSuccess = gauge(METRICS.sourceLastSuccess);

  const addCertificate = (
    source: SourceKey,
    resourceId: string,
    resourceName: string,
    x509: ParsedCertificate,
  ): void => {
    const labels = x509Labels(source, resourceId, resourceName, x509);
    notAfter.set(labels, x509.notAfter);
    notBefore.set(labels, x509.notBefore);
    info.set(infoLabels(source, resourceId, x509), 1);
  };

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
    if (source.source === "elb") {
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
          addCertificate(source, certificate.id, certificate.name, x509);
        }
      }
      continue;
    }
    for (const instance of source.instances.values()) {
      const instanceLabels = {
        region: source.region,
        project_id: source.projectId,
        instance_id: instance.id,
        instance_name: instance.name,
      };
      instanceInfo.set(
        {
          ...instanceLabels,
          datastore_type: instance.datastoreType,
          ssl: instance.ssl,
          cert_origin: instance.certOrigin,
        },
        1,
      );
      // Categories may serve the same CA: one series per certificate and instance.
      const seen = new Set<string>();
      for (const link of instance.links) {
        const linkLabels = { ...instanceLabels, category: link.category };
        linkUp.set(linkLabels, link.up ? 1 : 0);
        downloadStatus.set(linkLabels, link.statusCode);
        if (link.durationSeconds !== null) downloadDuration.set(linkLabels, link.durationSeconds);
        if (link.bytes !== null) downloadBytes.set(linkLabels, link.bytes);
        for (const x509 of link.certificates) {
          if (seen.has(x509.fingerprintSha256)) continue;
          seen.add(x509.fingerprintSha256);
          addCertificate(source, instance.id, instance.name, x509);
        }
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
