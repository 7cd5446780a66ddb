// GeminiDB instances' rows in the status model: one per distinct CA certificate an instance
// serves (a CA under two download categories is one row), and the instance's own row with the
// health of its CA download links. What the rows are only; status/rows.ts judges them.

import {
  resourceFields,
  x509Fields,
  type CertificateDraft,
  type InstanceRow,
  type SourceRows,
} from "../../status/rows.js";
import { distinctCertificates } from "./resources.js";
import { linkKey, type GeminiDbInstanceState, type GeminiDbSourceSnapshot } from "./snapshot.js";

export function geminiDbRows(snapshot: GeminiDbSourceSnapshot): SourceRows {
  const certificates: CertificateDraft[] = [];
  const instances: InstanceRow[] = [];
  for (const instance of snapshot.instances.values()) {
    const resource = resourceFields({ ...instance, type: instance.datastoreType });
    for (const x509 of distinctCertificates(instance)) {
      certificates.push({ ...resource, ...x509Fields(x509) });
    }
    instances.push(instanceRow(snapshot, instance));
  }
  return { certificates, instances };
}

function instanceRow(
  snapshot: GeminiDbSourceSnapshot,
  instance: GeminiDbInstanceState,
): InstanceRow {
  const { id, name, datastoreType, ssl, certOrigin, ccmCertificateId } = instance;
  const { region, projectId } = snapshot;
  const links = instance.links.map((link) => ({
    category: link.category,
    up: link.up,
    statusCode: link.statusCode,
    durationSeconds: snapshot.linkDurations.get(linkKey(id, link.category)) ?? null,
    reason: link.reason,
    certificates: link.certificates.length,
  }));
  return { region, projectId, id, name, datastoreType, ssl, certOrigin, ccmCertificateId, links };
}
