import { describe, expect, it } from "vitest";
import { parseDuration } from "../../../src/config/expiry-thresholds.js";
import { loadConfig, type Environment } from "../../../src/config/load-config.js";

const DAY = 86_400;
const BASE: Environment = {
  HWCERT_REGION: "ap-southeast-1",
  HWCERT_PROJECT_ID: "0605767f3e00d4a72f4bc01f8d0e8b1a",
  HWCERT_AUTH_TOKEN: "MIIT-token-value",
};
const FILE = "/etc/hwcert/targets.yaml";

function load(env: Environment, file?: string) {
  return loadConfig(
    file === undefined
      ? { ...BASE, ...env }
      : { HWCERT_AUTH_TOKEN: "MIIT-token-value", HWCERT_CONFIG_FILE: FILE, ...env },
    {
      readSecretFile: () => {
        throw Object.assign(new Error("no"), { code: "ENOENT" });
      },
      readConfigFile: () => file ?? "",
    },
  );
}

function errorsOf(env: Environment, file?: string): readonly string[] {
  const result = load(env, file);
  if (result.ok) throw new Error("expected the configuration to be rejected");
  return result.errors;
}

const TARGETS = `
targets:
  - region: ap-southeast-1
    project_id: 0605767f3e00d4a72f4bc01f8d0e8b1a
`;

describe("parseDuration", () => {
  it.each([
    ["14d", 14 * DAY],
    ["36h", 36 * 3600],
    ["1d12h", 1.5 * DAY],
    ["90m", 5400],
    ["3600s", 3600],
    ["1d2h3m4s", DAY + 7200 + 180 + 4],
  ])("reads %s", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(["", "0d", "14", "1.5d", "-1d", "2w", "12h1d", "d", "14 d"])("refuses %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("HWCERT_CERTIFICATE_THRESHOLDS", () => {
  it("is empty when unset", () => {
    const result = load({});
    expect(result.ok && result.config.thresholdOverrides.size).toBe(0);
  });

  it("reads each resource's warning and critical time", () => {
    const result = load({ HWCERT_CERTIFICATE_THRESHOLDS: " cert-1=14d/3d, ins-9 = 60d / 20d ," });
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect([...result.config.thresholdOverrides]).toEqual([
      ["cert-1", { warningSeconds: 14 * DAY, criticalSeconds: 3 * DAY }],
      ["ins-9", { warningSeconds: 60 * DAY, criticalSeconds: 20 * DAY }],
    ]);
  });

  it("allows warning and critical at the same time", () => {
    const result = load({ HWCERT_CERTIFICATE_THRESHOLDS: "cert-1=2d/2d" });
    expect(result.ok).toBe(true);
  });

  it.each([
    [
      "cert-1=14d",
      'HWCERT_CERTIFICATE_THRESHOLDS: "cert-1=14d" is not <resource_id>=<warning>/<critical>, e.g. cert-1=14d/3d',
    ],
    [
      "cert-1=2w/3d",
      'HWCERT_CERTIFICATE_THRESHOLDS: cert-1: warning "2w" is not a duration such as 14d, 36h or 1d12h',
    ],
    [
      "cert-1=3d/14d",
      'HWCERT_CERTIFICATE_THRESHOLDS: cert-1: critical "14d" is longer than warning "3d"; critical must come later',
    ],
    [
      "cert-1=4000d/3d",
      'HWCERT_CERTIFICATE_THRESHOLDS: cert-1: warning "4000d" is longer than 3650d',
    ],
    [
      "cert-1=14d/3d,cert-1=7d/1d",
      'HWCERT_CERTIFICATE_THRESHOLDS: resource "cert-1" is listed twice',
    ],
    ["../x=14d/3d", 'HWCERT_CERTIFICATE_THRESHOLDS: "../x" is not a valid resource id'],
  ])("rejects %j", (value, message) => {
    expect(errorsOf({ HWCERT_CERTIFICATE_THRESHOLDS: value })).toEqual([message]);
  });

  it("names every bad entry at once", () => {
    expect(errorsOf({ HWCERT_CERTIFICATE_THRESHOLDS: "a=0d/0d,b=1d/x" })).toEqual([
      'HWCERT_CERTIFICATE_THRESHOLDS: a: warning "0d" is not a duration such as 14d, 36h or 1d12h',
      'HWCERT_CERTIFICATE_THRESHOLDS: a: critical "0d" is not a duration such as 14d, 36h or 1d12h',
      'HWCERT_CERTIFICATE_THRESHOLDS: b: critical "x" is not a duration such as 14d, 36h or 1d12h',
    ]);
  });
});

describe("thresholds in HWCERT_CONFIG_FILE", () => {
  it("joins the file's thresholds to the environment's", () => {
    const result = load(
      { HWCERT_CERTIFICATE_THRESHOLDS: "cert-1=14d/3d" },
      `${TARGETS}thresholds:\n  ins-9: { warning: 60d, critical: 20d }\n`,
    );
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(Object.fromEntries(result.config.thresholdOverrides)).toEqual({
      "cert-1": { warningSeconds: 14 * DAY, criticalSeconds: 3 * DAY },
      "ins-9": { warningSeconds: 60 * DAY, criticalSeconds: 20 * DAY },
    });
  });

  it("names the file path of a bad entry", () => {
    expect(errorsOf({}, `${TARGETS}thresholds:\n  ins-9: { warning: 2d, critical: 5d }\n`)).toEqual(
      [
        `HWCERT_CONFIG_FILE: ${FILE}: thresholds.ins-9: critical "5d" is longer than warning "2d"; critical must come later`,
      ],
    );
  });

  it("refuses a misspelt key once, naming the key meant, and a missing time", () => {
    expect(errorsOf({}, `${TARGETS}thresholds:\n  ins-9: { warning: 2d, critcal: 1d }\n`)).toEqual([
      `HWCERT_CONFIG_FILE: ${FILE}: thresholds.ins-9: unknown key "critcal"; did you mean "critical"?`,
    ]);
    expect(errorsOf({}, `${TARGETS}thresholds:\n  ins-9: { warning: 2d }\n`)).toEqual([
      `HWCERT_CONFIG_FILE: ${FILE}: thresholds.ins-9: "critical" is required`,
    ]);
  });

  it("refuses a resource set in both places", () => {
    expect(
      errorsOf(
        { HWCERT_CERTIFICATE_THRESHOLDS: "ins-9=7d/1d" },
        `${TARGETS}thresholds:\n  ins-9: { warning: 60d, critical: 20d }\n`,
      ),
    ).toEqual([
      `HWCERT_CONFIG_FILE: ${FILE}: thresholds.ins-9: is also set in HWCERT_CERTIFICATE_THRESHOLDS; set it once`,
    ]);
  });
});
