// The compose trial, read (its Prometheus and Alertmanager images come from a registry, out of
// reach of CI; test/container checks the exporter services against the image it builds and
// runs): every service, every mounted file and the addresses that tie the exporter, Prometheus
// and Alertmanager together.

import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEPLOY, ROOT, readYaml } from "./tools.js";

interface ComposeService {
  image?: string;
  build?: { context: string };
  profiles?: string[];
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  ports?: string[];
  volumes?: string[];
  env_file?: string;
  entrypoint?: string[];
  environment?: Record<string, string>;
  networks?: { default?: { aliases?: string[] } };
}

const DIR = join(DEPLOY, "compose");
const compose = readYaml(join(DIR, "compose.yaml")) as {
  services: Record<string, ComposeService>;
};
const prometheusConfig = readYaml(join(DEPLOY, "prometheus", "prometheus.yml")) as {
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
};
const { services } = compose;

describe("compose trial", () => {
  it("runs the exporter (cloud or demo profile), Prometheus and Alertmanager", () => {
    expect(Object.keys(services).sort()).toEqual(
      ["alertmanager", "demo", "huaweicloud-cert-exporter", "prometheus"].sort(),
    );
    expect(services["huaweicloud-cert-exporter"]?.profiles).toEqual(["cloud"]);
    expect(services["demo"]?.profiles).toEqual(["demo"]);
    expect(services["demo"]?.entrypoint).toEqual(["node", "dist/demo.js"]);
    for (const name of ["prometheus", "alertmanager"]) {
      expect(services[name]?.image, name).toMatch(/^prom\/\w+:v\d+\.\d+\.\d+$/);
    }
  });

  it.each(["huaweicloud-cert-exporter", "demo"])("hardens the %s container", (name) => {
    const service = services[name]!;
    expect(service.build?.context).toBe("../..");
    expect(existsSync(join(resolve(DIR, service.build?.context ?? ""), "Dockerfile"))).toBe(true);
    expect(service.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(service.read_only).toBe(true);
    expect(service.cap_drop).toEqual(["ALL"]);
    expect(service.security_opt).toContain("no-new-privileges:true");
  });

  it("reads credentials from the git-ignored .env, never from the compose file", () => {
    expect(services["huaweicloud-cert-exporter"]?.env_file).toBe("../../.env");
    expect(readFileSync(join(ROOT, ".gitignore"), "utf8").split("\n")).toContain(".env");
    const text = readFileSync(join(DIR, "compose.yaml"), "utf8");
    expect(text).not.toMatch(/HUAWEICLOUD_SDK_(AK|SK)\s*[:=]|HWCERT_AUTH_TOKEN\s*[:=]/);
  });

  it("publishes ports on the host's loopback address only", () => {
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it("mounts files that exist, read-only", () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const [source = ""] = volume.split(":");
        if (!source.startsWith(".")) continue; // a named volume
        expect(existsSync(resolve(DIR, source)), `${name}: ${source}`).toBe(true);
        expect(volume, name).toMatch(/:ro$/);
      }
    }
  });

  it("gives Prometheus the rules and addresses that match the service names", () => {
    expect(services["prometheus"]?.volumes).toContain("../prometheus:/etc/prometheus:ro");
    expect(prometheusConfig.rule_files).toEqual(["huaweicloud-cert-exporter.rules.yml"]);
    const alertmanager = prometheusConfig.alerting.alertmanagers[0]?.static_configs[0]?.targets;
    expect(alertmanager).toEqual(["alertmanager:9093"]);
    const job = prometheusConfig.scrape_configs.find(
      (c) => c.job_name === "huaweicloud-cert-exporter",
    );
    expect(job?.static_configs[0]?.targets).toEqual(["huaweicloud-cert-exporter:10057"]);
    // The demo answers to the exporter's name, so the same Prometheus config scrapes it.
    expect(services["demo"]?.networks?.default?.aliases).toContain("huaweicloud-cert-exporter");
    expect(services["demo"]?.environment?.["HWCERT_LISTEN_ADDRESS"]).toBe("0.0.0.0:10057");
    expect(services["alertmanager"]?.volumes).toContain(
      "../alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro",
    );
  });
});
