// The shipped Grafana dashboard as the tests read it: its panels and queries, and the queries
// with Grafana's variables replaced the way Grafana sends them to Prometheus. Shared by the
// static checks (test/deploy/grafana.test.ts) and the live panel test (test/e2e/).

import { join } from "node:path";
import type { Severity } from "../../src/status/severity.js";
import { DEPLOY, readText } from "../deploy/tools.js";

export const DASHBOARD_FILE = join(DEPLOY, "grafana", "huaweicloud-cert-exporter.json");

export interface DashboardTarget {
  readonly datasource: { readonly type: string; readonly uid: string };
  readonly expr: string;
  readonly refId: string;
  /** An instant query (stat and table panels); otherwise Grafana runs a range query. */
  readonly instant?: boolean;
  readonly format?: string;
  readonly legendFormat?: string;
}

export interface DashboardPanel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly targets?: readonly DashboardTarget[];
}

export interface DashboardVariable {
  readonly name: string;
  readonly type: string;
  readonly query: unknown;
  readonly datasource?: { readonly uid: string };
  readonly includeAll?: boolean;
  readonly multi?: boolean;
  readonly allValue?: string;
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly DashboardPanel[];
  readonly templating: { readonly list: readonly DashboardVariable[] };
}

export const dashboardText = readText(DASHBOARD_FILE);
export const dashboard = JSON.parse(dashboardText) as Dashboard;

/** Every panel but the rows that group them. */
export const dataPanels = dashboard.panels.filter((panel) => panel.type !== "row");

/** Every query of the dashboard, with its panel. */
export const panelTargets = dataPanels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({ panel, target })),
);

/** The stat panel that counts each severity, titled as the status page names the counts. */
export const COUNT_PANEL_TITLES: Readonly<Record<Severity, string>> = {
  expired: "Expired",
  critical: "Critical",
  warning: "Warning",
  notice: "Notice",
  ok: "OK",
};

/** What each variable stands for: a regex for the query variables ("All" is `.*`). */
export interface VariableValues {
  readonly job: string;
  readonly region: string;
  readonly project: string;
  /** Grafana's $__rate_interval, e.g. `1m`. */
  readonly rateInterval: string;
  /** Grafana's $__interval and $__range, e.g. `15s`, `1h`. */
  readonly interval?: string;
  readonly range?: string;
}

export const ALL: Omit<VariableValues, "job"> = {
  region: ".*",
  project: ".*",
  rateInterval: "1m",
};

/**
 * The query as Grafana sends it: every `$name` and `${name}` replaced. Throws on a variable the
 * dashboard does not define, so a typo cannot reach Prometheus as a literal. `$1`
 * (label_replace's replacement) stays.
 */
export function expandVariables(expr: string, values: VariableValues): string {
  const replacements: Record<string, string> = {
    __rate_interval: values.rateInterval,
    __interval: values.interval ?? "15s",
    __range: values.range ?? "1h",
    job: values.job,
    region: values.region,
    project: values.project,
  };
  return expr.replaceAll(/\$(?:\{(\w+)\}|(\w+))/g, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? "";
    if (/^\d+$/.test(name)) return whole;
    const value = replacements[name];
    if (value === undefined) throw new Error(`unknown variable ${whole} in: ${expr}`);
    return value;
  });
}
