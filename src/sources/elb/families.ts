// ELB's own metric families: the API's expiry time and the listeners' use of each certificate.
// Their names, HELP and labels are part of the metric contract (docs/metrics.md, alert rules);
// the families every source shares are written by metrics/shared-families.ts.

import { POLLED } from "../../metrics/contract.js";
import { defineFamily, type SourceFamilies } from "../../metrics/family.js";
import { LISTENER_ROLES, type ElbSourceSnapshot } from "./snapshot.js";

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

const expire = defineFamily(ELB_METRICS.elbExpire, (snapshot: ElbSourceSnapshot, family) => {
  for (const certificate of snapshot.certificates.values()) {
    if (certificate.expireTimeSeconds === null) continue;
    family.set(
      {
        region: snapshot.region,
        project_id: snapshot.projectId,
        certificate_id: certificate.id,
        certificate_name: certificate.name,
        certificate_type: certificate.type,
      },
      certificate.expireTimeSeconds,
    );
    family.endResource();
  }
});

const listenerBindings = defineFamily(
  ELB_METRICS.elbListenerBindings,
  (snapshot: ElbSourceSnapshot, family) => {
    if (snapshot.listenerBindings === undefined) return;
    for (const certificate of snapshot.certificates.values()) {
      const uses = snapshot.listenerBindings.get(certificate.id) ?? [];
      for (const role of LISTENER_ROLES) {
        family.set(
          {
            region: snapshot.region,
            project_id: snapshot.projectId,
            certificate_id: certificate.id,
            role,
          },
          uses.filter((use) => use.role === role).length,
        );
      }
      family.endResource();
    }
  },
);

const listenerInfo = defineFamily(
  ELB_METRICS.elbListenerInfo,
  (snapshot: ElbSourceSnapshot, family) => {
    if (snapshot.listenerBindings === undefined) return;
    for (const certificate of snapshot.certificates.values()) {
      for (const use of snapshot.listenerBindings.get(certificate.id) ?? []) {
        family.set(
          {
            region: snapshot.region,
            project_id: snapshot.projectId,
            certificate_id: certificate.id,
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
      family.endResource();
    }
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
