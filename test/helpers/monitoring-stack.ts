// A real Prometheus (and optionally a real Alertmanager) on 127.0.0.1, configured from the
// SHIPPED files: deploy/prometheus/prometheus.yml with 1 s intervals and its exporter job pointed
// at the given targets, the shipped rule file with every `for:` shortened to 1 s (expressions
// untouched), and deploy/alertmanager/alertmanager.yml with short waits and its webhooks pointed
// at the caller. Used by the end-to-end alerting tests (the demo's also runs the dashboard's
// queries) and the PromQL examples' test, so each runs what an operator would install.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import {
  ALERTMANAGER_FILE,
  DEPLOY,
  readRuleGroups,
  readYaml,
  type RuleGroup,
} from "../deploy/tools.js";
import type { Simulator } from "../../src/simulator/index.js";
import { startTestDaemon, type TestDaemon } from "./daemon-harness.js";
import { freePort, isReady, startService, stopService, waitFor, type Service } from "./services.js";

/** The shipped rules with every `for:` shortened to 1s; expressions untouched. */
export function rulesWithShortFor(): RuleGroup[] {
  return readRuleGroups().map((group) => ({
    ...group,
    rules: group.rules.map((rule) => (rule.for === undefined ? rule : { ...rule, for: "1s" })),
  }));
}

/** The shipped Alertmanager config with short waits and its webhooks pointed at `origin`. */
export function alertmanagerConfig(origin: string): unknown {
  const config = readYaml(ALERTMANAGER_FILE) as {
    route: Record<string, unknown>;
    receivers: { webhook_configs?: { url: string }[] }[];
  };
  Object.assign(config.route, { group_wait: "1s", group_interval: "1s" });
  for (const receiver of config.receivers) {
    for (const webhook of receiver.webhook_configs ?? []) {
      webhook.url = `${origin}${new URL(webhook.url).pathname}`;
    }
  }
  return config;
}

/** The shipped Prometheus config with 1s intervals and loopback addresses. */
export function prometheusConfig(
  rulesPath: string,
  exporters: readonly string[],
  alertmanager: string | null,
): unknown {
  const config = readYaml(join(DEPLOY, "prometheus", "prometheus.yml")) as {
    global: Record<string, unknown>;
    rule_files: string[];
    alerting?: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
  };
  Object.assign(config.global, { scrape_interval: "1s", evaluation_interval: "1s" });
  config.rule_files = [rulesPath];
  if (alertmanager === null) delete config.alerting;
  else config.alerting = { alertmanagers: [{ static_configs: [{ targets: [alertmanager] }] }] };
  const job = config.scrape_configs.find((c) => c.job_name === "huaweicloud-cert-exporter");
  if (job === undefined) throw new Error("prometheus.yml has no huaweicloud-cert-exporter job");
  job.static_configs = [{ targets: [...exporters] }];
  return config;
}

export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

export interface MonitoringStack {
  readonly prometheusUrl: string;
  /** null when started without Alertmanager. */
  readonly alertmanagerUrl: string | null;
  readonly services: readonly Service[];
  /** An instant query; throws with Prometheus's own error text on a bad query. */
  query(expression: string): Promise<PromSample[]>;
  /** The alerts Prometheus holds (pending and firing). */
  alerts(): Promise<
    { state: string; labels: Record<string, string>; annotations: Record<string, string> }[]
  >;
  stop(): Promise<void>;
}

export interface MonitoringStackOptions {
  /** `host:port` of each exporter replica to scrape. */
  readonly exporters: readonly string[];
  /** Start Alertmanager with the shipped config, its webhooks pointed at this origin. */
  readonly webhookOrigin?: string;
  readonly prometheusBinary: string;
  readonly alertmanagerBinary?: string;
}

export async function startMonitoringStack(
  options: MonitoringStackOptions,
): Promise<MonitoringStack> {
  const workDir = mkdtempSync(join(tmpdir(), "hwcert-prometheus-"));
  const services: Service[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(services.map((service) => stopService(service)));
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    let alertmanagerUrl: string | null = null;
    if (options.webhookOrigin !== undefined) {
      if (options.alertmanagerBinary === undefined) throw new Error("no Alertmanager binary");
      const port = await freePort();
      alertmanagerUrl = `http://127.0.0.1:${port}`;
      const file = join(workDir, "alertmanager.yml");
      writeFileSync(file, stringify(alertmanagerConfig(options.webhookOrigin)));
      services.push(
        startService("alertmanager", options.alertmanagerBinary, [
          `--config.file=${file}`,
          `--storage.path=${join(workDir, "alertmanager")}`,
          `--web.listen-address=127.0.0.1:${port}`,
          "--cluster.listen-address=",
          "--log.level=warn",
        ]),
      );
    }
    const port = await freePort();
    const prometheusUrl = `http://127.0.0.1:${port}`;
    const rulesFile = join(workDir, "rules.yml");
    writeFileSync(rulesFile, stringify({ groups: rulesWithShortFor() }));
    const prometheusFile = join(workDir, "prometheus.yml");
    writeFileSync(
      prometheusFile,
      stringify(
        prometheusConfig(
          rulesFile,
          options.exporters,
          alertmanagerUrl === null ? null : new URL(alertmanagerUrl).host,
        ),
      ),
    );
    services.push(
      startService("prometheus", options.prometheusBinary, [
        `--config.file=${prometheusFile}`,
        `--storage.tsdb.path=${join(workDir, "prometheus")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ]),
    );
    if (alertmanagerUrl !== null) {
      const url = alertmanagerUrl;
      await waitFor("Alertmanager ready", () => isReady(url), services);
    }
    await waitFor("Prometheus ready", () => isReady(prometheusUrl), services);

    const query = async (expression: string): Promise<PromSample[]> => {
      const response = await fetch(
        `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expression)}`,
      );
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: {
          resultType: string;
          result: { metric: Record<string, string>; value: [number, string] }[];
        };
      };
      if (body.status !== "success" || body.data === undefined) {
        throw new Error(`query failed: ${expression}\n${body.error ?? response.status}`);
      }
      if (body.data.resultType !== "vector") {
        throw new Error(`query is not an instant vector: ${expression}`);
      }
      return body.data.result.map((sample) => ({
        metric: sample.metric,
        value: Number(sample.value[1]),
      }));
    };
    const alerts: MonitoringStack["alerts"] = async () => {
      const response = await fetch(`${prometheusUrl}/api/v1/alerts`);
      const body = (await response.json()) as {
        data: {
          alerts: {
            state: string;
            labels: Record<string, string>;
            annotations: Record<string, string>;
          }[];
        };
      };
      return body.data.alerts;
    };
    return { prometheusUrl, alertmanagerUrl, services, query, alerts, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Waits until Prometheus has scraped every replica, every replica has completed two polls of
 * every source while being scraped (so rate() sees counters grow), and every rule group has run
 * since: from then on, queries and alerts reflect the polled data. The waits are long because a
 * loaded 2-core machine is slow, never wrong.
 */
export async function waitUntilSettled(
  stack: MonitoringStack,
  expected: { readonly replicas: number; readonly sources: number },
  timeoutMs = 90_000,
): Promise<void> {
  const holds = async (expression: string): Promise<true | undefined> =>
    (await stack.query(expression)).length > 0 ? true : undefined;
  await waitFor(
    "every replica scraped",
    () => holds(`count(up{job="huaweicloud-cert-exporter"} == 1) == ${expected.replicas}`),
    stack.services,
    timeoutMs,
  );
  await waitFor(
    "two polls of every source on every replica",
    () =>
      holds(
        `count(changes(hwcert_source_last_success_timestamp_seconds[1m]) > 0) == ${
          expected.replicas * expected.sources
        }`,
      ),
    stack.services,
    timeoutMs,
  );
  const polled = Date.now() / 1000;
  await waitFor(
    "every rule group evaluated after that",
    async () => {
      const response = await fetch(`${stack.prometheusUrl}/api/v1/rules`);
      const body = (await response.json()) as { data: { groups: { lastEvaluation: string }[] } };
      const groups = body.data.groups;
      return groups.length > 0 &&
        groups.every((group) => Date.parse(group.lastEvaluation) / 1000 > polled + 1)
        ? true
        : undefined;
    },
    stack.services,
    timeoutMs,
  );
}

export interface ScrapedReplicas {
  readonly replicas: readonly TestDaemon[];
  readonly stack: MonitoringStack;
  stop(): Promise<void>;
}

/**
 * Several exporter replicas polling one simulator every 5 s with the same settings, scraped by
 * a real Prometheus with the shipped rules, returned once settled (waitUntilSettled): what an
 * operator following the high-availability advice runs.
 */
export async function startScrapedReplicas(
  sim: Simulator,
  options: {
    readonly count: number;
    readonly sources: number;
    readonly environment: Readonly<Record<string, string>>;
    readonly prometheusBinary: string;
  },
): Promise<ScrapedReplicas> {
  const replicas: TestDaemon[] = [];
  let stack: MonitoringStack | undefined;
  const stop = async (): Promise<void> => {
    await stack?.stop();
    for (const replica of replicas) await replica.stop();
  };
  try {
    for (let replica = 0; replica < options.count; replica += 1) {
      replicas.push(
        await startTestDaemon(sim, {
          HWCERT_POLL_SCHEDULE: "*/5 * * * * *",
          HWCERT_LOG_LEVEL: "warn",
          ...options.environment,
        }),
      );
    }
    stack = await startMonitoringStack({
      exporters: replicas.map((replica) => new URL(replica.baseUrl).host),
      prometheusBinary: options.prometheusBinary,
    });
    await waitUntilSettled(stack, { replicas: options.count, sources: options.sources });
    return { replicas, stack, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
