// The Kubernetes manifests: every document parses and is wired to the others (kustomization,
// selectors, ports, Secret, ConfigMap), and the Deployment meets the hardening list. No
// Kubernetes schema validator installs on this machine (kubeconform and kubeval are neither Debian
// nor npm packages), so schema validation runs only where `kubeconform` is on PATH; the checks
// below cover the fields that matter, including a guard against misspelt security fields.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEPLOY, ROOT, findBinary, readText, readYamlDocuments, run } from "./tools.js";

const DIR = join(DEPLOY, "kubernetes");
const files = readdirSync(DIR).filter((name) => name.endsWith(".yaml"));

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}
interface Container {
  image: string;
  ports: { name: string; containerPort: number }[];
  env: { name: string; value?: string }[];
  envFrom: unknown[];
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
  securityContext: Record<string, unknown> & { capabilities: { drop?: string[]; add?: string[] } };
  resources: Record<"requests" | "limits", { cpu: string; memory: string }>;
  livenessProbe: { httpGet: unknown };
  readinessProbe: { httpGet: unknown };
}
interface Deployment extends Manifest {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        serviceAccountName: string;
        automountServiceAccountToken?: boolean;
        hostNetwork?: boolean;
        hostPID?: boolean;
        securityContext: { runAsNonRoot?: boolean; runAsUser?: number };
        containers: Container[];
        volumes: { name: string; secret?: { secretName: string; items: { key: string }[] } }[];
      };
    };
  };
}
interface Service extends Manifest {
  spec: {
    selector: Record<string, string>;
    ports: { name: string; port: number; targetPort: string | number }[];
  };
}
interface ServiceMonitor extends Manifest {
  spec: {
    selector: { matchLabels: Record<string, string> };
    endpoints: { port: string; path: string }[];
  };
}
interface Kustomization extends Manifest {
  namespace: string;
  resources: string[];
  images: { name: string; newName?: string; newTag?: string }[];
}

const manifests = new Map<string, Manifest[]>(
  files.map((file) => [file, readYamlDocuments(join(DIR, file)) as Manifest[]]),
);

function only(kind: string): Manifest {
  const found = [...manifests.values()].flat().filter((manifest) => manifest.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${String(found.length)}`);
  return found[0]!;
}

const deployment = only("Deployment") as Deployment;
const pod = deployment.spec.template.spec;
const container = pod.containers[0]!;
const service = only("Service") as Service;
const serviceMonitor = only("ServiceMonitor") as ServiceMonitor;
const kustomization = only("Kustomization") as Kustomization;
const secret = only("Secret") as Manifest & { stringData: Record<string, string> };
const configMap = only("ConfigMap") as Manifest & { data: Record<string, string> };
const serviceAccount = only("ServiceAccount") as Manifest & {
  automountServiceAccountToken?: boolean;
};

const packageJson = JSON.parse(readText(join(ROOT, "package.json"))) as { version: string };

/** Fields of a container securityContext (core/v1), to catch a misspelt hardening field. */
const SECURITY_CONTEXT_FIELDS = new Set([
  "allowPrivilegeEscalation",
  "appArmorProfile",
  "capabilities",
  "privileged",
  "procMount",
  "readOnlyRootFilesystem",
  "runAsGroup",
  "runAsNonRoot",
  "runAsUser",
  "seLinuxOptions",
  "seccompProfile",
  "windowsOptions",
]);

describe("Kubernetes manifests", () => {
  it.each(files)("%s: every document has apiVersion, kind and metadata.name", (file) => {
    const documents = manifests.get(file) ?? [];
    expect(documents.length).toBeGreaterThan(0);
    for (const manifest of documents) {
      expect(manifest.apiVersion).toMatch(/^[a-z0-9.]+\/v[0-9a-z]+$|^v1$/);
      expect(manifest.kind).toMatch(/^[A-Z][A-Za-z]+$/);
      if (manifest.kind !== "Kustomization") expect(manifest.metadata.name).toBeTruthy();
    }
  });

  it("kustomization lists every manifest except the Secret example", () => {
    const resources = kustomization.resources;
    const expected = files.filter(
      (file) => file !== "kustomization.yaml" && file !== "secret.example.yaml",
    );
    expect([...resources].sort()).toEqual(expected.sort());
    expect(kustomization.namespace).toBe("huaweicloud-cert-exporter");
    expect(kustomization.images).toEqual([
      expect.objectContaining({ name: "huaweicloud-cert-exporter", newTag: packageJson.version }),
    ]);
  });

  it("holds the namespace to the restricted Pod Security Standard", () => {
    const namespace = only("Namespace");
    expect(namespace.metadata.name).toBe(kustomization.namespace);
    expect(namespace.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("runs as a non-root user with no service account token", () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(serviceAccount.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe(serviceAccount.metadata.name);
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.hostPID ?? false).toBe(false);
  });

  it("hardens the container: read-only root, no capabilities, no privilege escalation", () => {
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.securityContext.capabilities.add).toBeUndefined();
    for (const field of Object.keys(container.securityContext)) {
      expect(SECURITY_CONTEXT_FIELDS, `unknown securityContext field ${field}`).toContain(field);
    }
  });

  it("sets resource requests and limits", () => {
    for (const kind of ["requests", "limits"] as const) {
      expect(container.resources[kind].cpu, kind).toMatch(/^\d+m?$/);
      expect(container.resources[kind].memory, kind).toMatch(/^\d+(Mi|Gi)$/);
    }
  });

  it("probes liveness on /healthz and readiness on /readyz of the metrics port", () => {
    const port = container.ports.find((p: { name: string }) => p.name === "metrics");
    expect(port?.containerPort).toBe(10057);
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "metrics" });
  });

  it("reads credentials (AK/SK) from the Secret as files, never from literal values", () => {
    const directory = "/var/run/secrets/huaweicloud-cert-exporter";
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: "HUAWEICLOUD_SDK_AK_FILE", value: `${directory}/ak` },
        { name: "HUAWEICLOUD_SDK_SK_FILE", value: `${directory}/sk` },
      ]),
    );
    const secretSettings =
      /^(HUAWEICLOUD_SDK_(AK|SK|SECURITY_TOKEN)|HWCERT_AUTH_TOKEN|HWCERT_IAM_PASSWORD)$/;
    const names = [
      ...container.env.map((variable) => variable.name),
      ...Object.keys(configMap.data),
    ];
    for (const name of names) expect(name).not.toMatch(secretSettings);
    const volume = pod.volumes.find((v) => v.name === "credentials");
    expect(volume?.secret?.secretName).toBe(secret.metadata.name);
    expect(volume?.secret?.items.map((item) => item.key).sort()).toEqual(
      Object.keys(secret.stringData).sort(),
    );
    const mount = container.volumeMounts.find((m) => m.name === "credentials");
    expect(mount).toMatchObject({ mountPath: directory, readOnly: true });
  });

  it("ships the Secret only as an example with placeholders", () => {
    for (const value of Object.values(secret.stringData)) expect(value).toMatch(/^<.+>$/);
    expect(secret.metadata.namespace).toBe(kustomization.namespace);
  });

  it("takes settings from the ConfigMap, all of them documented", () => {
    const example = readText(join(ROOT, "config", "example.env"));
    expect(container.envFrom).toContainEqual({ configMapRef: { name: configMap.metadata.name } });
    expect(Object.keys(configMap.data)).toContain("HWCERT_REGION");
    const names = [
      ...Object.keys(configMap.data),
      ...container.env.map((variable) => variable.name),
    ];
    // Every secret setting also reads <NAME>_FILE (docs/configuration.md, "Authentication").
    for (const name of names) expect(example, name).toContain(name.replace(/_FILE$/, ""));
  });

  it("uses the image of this version", () => {
    expect(container.image).toBe(`huaweicloud-cert-exporter:${packageJson.version}`);
  });

  it("wires Service and ServiceMonitor to the pods and the metrics port", () => {
    const podLabels = deployment.spec.template.metadata.labels;
    expect(deployment.spec.selector.matchLabels).toEqual(
      expect.objectContaining(service.spec.selector as object),
    );
    for (const [key, value] of Object.entries(service.spec.selector as object)) {
      expect(podLabels[key]).toBe(value);
    }
    expect(service.spec.ports).toContainEqual(
      expect.objectContaining({ name: "metrics", port: 10057, targetPort: "metrics" }),
    );
    for (const [key, value] of Object.entries(serviceMonitor.spec.selector.matchLabels as object)) {
      expect(service.metadata.labels?.[key]).toBe(value);
    }
    expect(serviceMonitor.spec.endpoints).toContainEqual(
      expect.objectContaining({ port: "metrics", path: "/metrics" }),
    );
    // The job label is the Service name, which HuaweiCloudCertExporterAbsent watches.
    expect(service.metadata.name).toBe("huaweicloud-cert-exporter");
  });

  const kubeconform = findBinary("kubeconform");
  it.skipIf(kubeconform === null)(
    "validates against the Kubernetes schemas (kubeconform; skipped where not installed)",
    () => {
      const plain = files
        .filter((file) => file !== "kustomization.yaml")
        .map((file) => join(DIR, file));
      const result = run(kubeconform!, [
        "-strict",
        "-summary",
        "-skip",
        "ServiceMonitor,PrometheusRule",
        ...plain,
      ]);
      expect(result.status, result.output).toBe(0);
    },
  );
});
