// The status page's JSON (`/?format=json`, src/status/json.ts) as far as the end-to-end tests
// read it, and `check -o json`, which is the same document plus the verdict. One shape for the
// tests that compare the page with the alerts, the recordings and the dashboard.

import type { Severity } from "../../src/status/severity.js";

export interface StatusJsonRow {
  readonly severity: Severity;
  readonly usage: string;
  readonly source: string;
  readonly region: string;
  readonly projectId: string;
  readonly resourceId: string;
  readonly resourceName: string;
  readonly kind: string;
  readonly chainPosition: string | null;
  readonly serialNumber: string;
  readonly daysLeft: number;
  readonly secondsLeft: number;
}

export interface StatusJson {
  readonly summary: Readonly<Record<Severity | "certificates" | "resourceProblems", number>>;
  readonly certificates: readonly StatusJsonRow[];
  readonly problems: readonly {
    readonly source: string;
    readonly region: string;
    readonly projectId: string;
    readonly resource: { readonly id: string; readonly name: string } | null;
    readonly reason: string | null;
  }[];
}

export interface CheckJson extends StatusJson {
  readonly check: { readonly exitCode: number; readonly status: string; readonly summary: string };
}

/** The page's JSON of a running daemon. */
export async function fetchStatusJson(baseUrl: string): Promise<StatusJson> {
  const response = await fetch(`${baseUrl}/?format=json`);
  if (response.status !== 200) throw new Error(`/?format=json answered ${response.status}`);
  return (await response.json()) as StatusJson;
}
