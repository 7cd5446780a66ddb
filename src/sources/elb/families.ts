// ELB's own metric families: the API's expiry time and the listeners' use of each certificate.
// Their names, HELP and labels are part of the metric contract (docs/metrics.md, alert rules);
// the families every source shares are written by metrics/shared-families.ts.

import { POLLED } from "../../metrics/contract.js";
import { defineFamily, type SourceFamilies } from "../../metrics/family.js";
import {
  LISTENER_ROLES,
  type ElbCertificateState,
  type ElbSourceSnapshot,
  type ListenerBinding,
} from "./snapshot.js";

export const ELB_METRICS = {
  elbExpire: {
    name: "hwcert_elb_certificate_expire_timestamp_seconds",
    help: `Expiry time (Unix seconds) of an ELB certificate as reported by the ELB API (expire_time). ${POLLED}`,
    labelNames: ["region", "project_id", "certificate_id", "certificate_name", "certificate_type"],
  },
  elbListenerBindings: {
    name: "hwcert_elb_certificate_listener_bindings",
    help: `Number of ELB listeners using the certificate in the role (default, sni, client_ca); 0 when none, absent while listener data is unknown. ${POLLED}`,
    labelNames: ["region", "project_id", "certificate_id", "role"],
  },
  elbListenerInfo: {
    name: "hwcert_elb_certificate_listener_info",
    help: `Each ELB listener's use of a certificate (always 1). ${POLLED}`,
    labelNames: [
      "region",
      "project_id",
      "certificate_id",
      "role",
      "listener_id",
      "listener_name",
      "loadbalancer_id",
      "protocol",
      "port",
    ],
  },
} as const;

/** The labels that name a certificate, first in each of ELB's families. */
function certificateLabels(
  snapshot: ElbSourceSnapshot,
  certificate: ElbCertificateState,
): { region: string; project_id: string; certificate_id: string } {
  return {
    region: snapshot.region,
    project_id: snapshot.projectId,
    certificate_id: certificate.id,
  };
}

const expire = defineFamily(ELB_METRICS.elbExpire, (snapshot: ElbSourceSnapshot, family) => {
  for (const certificate of snapshot.certificates.values()) {
    if (certificate.expireTimeSeconds === null) continue;
    family.set(
      {
        ...certificateLabels(snapshot, certificate),
        certificate_name: certificate.name,
        certificate_type: certificate.type,
      },
      certificate.expireTimeSeconds,
    );
    family.endResource();
  }
});

/** Each certificate with the listeners' uses of it; nothing while the listeners are unknown. */
function forEachCertificateUses(
  snapshot: ElbSourceSnapshot,
  family: { endResource(): void },
  visit: (certificate: ElbCertificateState, uses: readonly ListenerBinding[]) => void,
): void {
  if (snapshot.listenerBindings === undefined) return;
  for (const certificate of snapshot.certificates.values()) {
    visit(certificate, snapshot.listenerBindings.get(certificate.id) ?? []);
    family.endResource();
  }
}

const listenerBindings = defineFamily(
  ELB_METRICS.elbListenerBindings,
  (snapshot: ElbSourceSnapshot, family) => {
    forEachCertificateUses(snapshot, family, (certificate, uses) => {
      for (const role of LISTENER_ROLES) {
        const count = uses.filter((use) => use.role === role).length;
        family.set({ ...certificateLabels(snapshot, certificate), role }, count);
      }
    });
  },
);

const listenerInfo = defineFamily(
  ELB_METRICS.elbListenerInfo,
  (snapshot: ElbSourceSnapshot, family) => {
    forEachCertificateUses(snapshot, family, (certificate, uses) => {
      for (const use of uses) {
        family.set(
          {
            ...certificateLabels(snapshot, certificate),
            role: use.role,
            listener_id: use.listenerId,
            listener_name: use.listenerName,
            loadbalancer_id: use.loadBalancerId,
            protocol: use.protocol,
            port: use.port === null ? "" : String(use.port),
          },
          1,
        );
      }
    });
  },
);

/**
 * Before the shared families: those grew out of ELB's, the first source, and /metrics keeps the
 * order it has always had (see metrics/polled-families.ts).
 */
export const elbFamilies: SourceFamilies<ElbSourceSnapshot> = {
  leading: [expire, listenerBindings, listenerInfo],
  trailing: [],
};
