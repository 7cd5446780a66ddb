import { describe, expect, it } from "vitest";
import { loadConfig, type Environment } from "../../../src/config/load-config.js";

const VALID: Environment = {
  HWCERT_REGION: "ap-southeast-1",
  HWCERT_PROJECT_ID: "0605767f3e00d4a72f4bc01f8d0e8b1a",
  HWCERT_AUTH_TOKEN: "MIIT-token-value",
};

const noFiles = {
  readSecretFile: (path: string): string => {
    throw Object.assign(new Error(`no file ${path}`), { code: "ENOENT" });
  },
};

function load(overrides: Environment, options = noFiles) {
  return loadConfig({ ...VALID, ...overrides }, options);
}

function errorsOf(overrides: Environment): readonly string[] {
  const result = load(overrides);
  if (result.ok) throw new Error("expected the configuration to be rejected");
  return result.errors;
}

describe("loadConfig", () => {
  it("applies every default", () => {
    const result = load({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { config } = result;
    expect(config.targets).toHaveLength(1);
    const target = config.targets[0]!;
    expect(target.label).toBe("environment");
    expect(target.region).toBe("ap-southeast-1");
    expect(target.projectId).toBe("0605767f3e00d4a72f4bc01f8d0e8b1a");
    expect(target.endpoints).toEqual({
      elb: "https://elb.ap-southeast-1.myhuaweicloud.com",
      geminidb: "https://gaussdb-nosql.ap-southeast-1.myhuaweicloud.com",
      ccm: "https://scm.ap-southeast-1.myhuaweicloud.com",
      iam: "https://iam.ap-southeast-1.myhuaweicloud.com",
    });
    expect(target.domainId).toBeNull();
    expect(target.elb.certificateIds).toBeNull();
    expect(config.pollSchedule).toBe("*/5 * * * *");
    expect(config.listen).toEqual({ host: "0.0.0.0", port: 10057 });
    expect(config.httpTimeoutMs).toBe(10_000);
    expect(config.concurrency).toBe(8);
    expect(target.sources).toEqual(["elb", "geminidb"]);
    expect(target.geminidb.instanceIds).toBeNull();
    expect(config.apiRateLimit).toBe(10);
    expect(config.download).toEqual({
      maxBytes: 1_048_576,
      allowedHosts: ["*.myhuaweicloud.com"],
      allowHttp: false,
    });
    expect(config.logLevel).toBe("info");
    expect(target.auth.kind === "token" && target.auth.token.reveal()).toBe("MIIT-token-value");
    expect(Object.isFrozen(target.endpoints)).toBe(true);
  });

  it("never shows the token when the config is printed", () => {
    const result = load({});
    if (!result.ok) throw new Error("expected a valid config");
    expect(JSON.stringify(result.config)).not.toContain("MIIT-token-value");
    const auth = result.config.targets[0]!.auth;
    expect(auth.kind === "token" && String(auth.token)).toBe("[REDACTED]");
  });

  it.each<[string, Environment, unknown]>([
    [
      "endpoint with path and trailing slash",
      { HWCERT_ELB_ENDPOINT: "http://127.0.0.1:8080/gw/" },
      { elb: "http://127.0.0.1:8080/gw" },
    ],
    [
      "endpoint with {region}",
      { HWCERT_IAM_ENDPOINT: "https://iam.{region}.myhuaweicloud.eu" },
      { iam: "https://iam.ap-southeast-1.myhuaweicloud.eu" },
    ],
    [
      "id list trimmed and deduplicated",
      { HWCERT_ELB_CERTIFICATE_IDS: " a1, b2 ,a1,," },
      { ids: ["a1", "b2"] },
    ],
    ["six-field cron", { HWCERT_POLL_SCHEDULE: "*/10 * * * * *" }, { schedule: "*/10 * * * * *" }],
    [
      "IPv6 listen address",
      { HWCERT_LISTEN_ADDRESS: "[::1]:9000" },
      { listen: { host: "::1", port: 9000 } },
    ],
    [
      "empty host listens everywhere",
      { HWCERT_LISTEN_ADDRESS: ":9000" },
      { listen: { host: "0.0.0.0", port: 9000 } },
    ],
    ["fractional timeout", { HWCERT_HTTP_TIMEOUT_SECONDS: "2.5" }, { timeoutMs: 2500 }],
    [
      "sources in any order and case",
      { HWCERT_SOURCES: "GeminiDB, elb, elb" },
      { sources: ["elb", "geminidb"] },
    ],
    [
      "download hosts, IP literals and http",
      {
        HWCERT_DOWNLOAD_ALLOWED_HOSTS: "127.0.0.1,[::1], Obs.Example.com,*.obs.example.com",
        HWCERT_DOWNLOAD_ALLOW_HTTP: "true",
      },
      { hosts: ["127.0.0.1", "[::1]", "obs.example.com", "*.obs.example.com"], allowHttp: true },
    ],
    ["upper-case log level", { HWCERT_LOG_LEVEL: "DEBUG" }, { level: "debug" }],
    ["empty value means unset", { HWCERT_LOG_LEVEL: "  " }, { level: "info" }],
    ["no certificate marked stored", {}, { stored: [] }],
    [
      "stored certificates trimmed and deduplicated",
      { HWCERT_STORED_CERTIFICATES: " scs1700000000000001, 5494a835d88f,scs1700000000000001" },
      { stored: ["scs1700000000000001", "5494a835d88f"] },
    ],
  ])("accepts %s", (_name, overrides, expected) => {
    const result = load(overrides);
    if (!result.ok) throw new Error(result.errors.join("\n"));
    const { config } = result;
    const target = config.targets[0]!;
    const picked = {
      elb: target.endpoints.elb,
      iam: target.endpoints.iam,
      ids: target.elb.certificateIds,
      schedule: config.pollSchedule,
      listen: config.listen,
      timeoutMs: config.httpTimeoutMs,
      level: config.logLevel,
      sources: target.sources,
      hosts: config.download.allowedHosts,
      allowHttp: config.download.allowHttp,
      stored: [...config.storedCertificates],
    };
    expect(picked).toMatchObject(expected as object);
  });

  it.each<[Environment, string]>([
    [
      { HWCERT_REGION: undefined },
      "HWCERT_REGION: is required but not set (or list targets in HWCERT_CONFIG_FILE)",
    ],
    [
      { HWCERT_AUTH_TOKEN: undefined },
      "credentials: none configured: set exactly one method: HWCERT_AUTH_TOKEN; or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK; or HWCERT_IAM_DOMAIN, HWCERT_IAM_USERNAME and HWCERT_IAM_PASSWORD (each also as <NAME>_FILE)",
    ],
    [
      { HUAWEICLOUD_SDK_AK: "AKID", HUAWEICLOUD_SDK_SK: "secret" },
      "credentials: several auth methods configured: static token (HWCERT_AUTH_TOKEN) and AK/SK (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK); set exactly one",
    ],
    [
      { HWCERT_AUTH_TOKEN: undefined, HUAWEICLOUD_SDK_SECURITY_TOKEN: "sts" },
      "credentials: AK/SK is incomplete: HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are not set",
    ],
    [
      { HWCERT_AUTH_TOKEN: undefined, HWCERT_IAM_DOMAIN: "acme", HWCERT_IAM_PASSWORD: "pw" },
      "credentials: IAM password is incomplete: HWCERT_IAM_USERNAME is not set",
    ],
    [
      { HWCERT_REGION: "Asia Pacific" },
      'HWCERT_REGION: "Asia Pacific" is not a region name (expected something like ap-southeast-1)',
    ],
    [
      { HWCERT_PROJECT_ID: "../etc" },
      'HWCERT_PROJECT_ID: "../etc" is not a project id: Huawei Cloud project ids are 32 hexadecimal characters (see My Credentials > API Credentials, or unset HWCERT_PROJECT_ID to look the id up by region)',
    ],
    [
      { HWCERT_PROJECT_ID: "my-project" },
      'HWCERT_PROJECT_ID: "my-project" is not a project id: Huawei Cloud project ids are 32 hexadecimal characters (see My Credentials > API Credentials, or unset HWCERT_PROJECT_ID to look the id up by region)',
    ],
    [
      { HWCERT_PROJECT_ID: "ap-southeast-1" },
      'HWCERT_PROJECT_ID: "ap-southeast-1" looks like a project name (a region), not its id (see My Credentials > API Credentials, or unset HWCERT_PROJECT_ID to look the id up by region)',
    ],
    [
      { HWCERT_PROJECT_ID: "0605767F3E00D4A72F4BC01F8D0E8B1A" },
      'HWCERT_PROJECT_ID: "0605767F3E00D4A72F4BC01F8D0E8B1A" is not a project id: write it in lower case (see My Credentials > API Credentials, or unset HWCERT_PROJECT_ID to look the id up by region)',
    ],
    [
      { HWCERT_PROJECT_ID: "0605767f3e00d4a72f4bc01f8d0e8b1" },
      'HWCERT_PROJECT_ID: "0605767f3e00d4a72f4bc01f8d0e8b1" is not a project id: Huawei Cloud project ids are 32 hexadecimal characters (see My Credentials > API Credentials, or unset HWCERT_PROJECT_ID to look the id up by region)',
    ],
    [{ HWCERT_ELB_ENDPOINT: "not a url" }, 'HWCERT_ELB_ENDPOINT: "not a url" is not a valid URL'],
    [
      { HWCERT_IAM_ENDPOINT: "iam.{region}.myhuaweicloud.com" },
      'HWCERT_IAM_ENDPOINT: "iam.{region}.myhuaweicloud.com" is not a valid URL: add the scheme, e.g. https://iam.{region}.myhuaweicloud.com',
    ],
    [
      { HWCERT_GEMINIDB_ENDPOINT: "ftp://x.example" },
      'HWCERT_GEMINIDB_ENDPOINT: "ftp://x.example" must use https:// (or http:// for a local simulator)',
    ],
    [
      { HWCERT_IAM_ENDPOINT: "https://iam.example/?a=1" },
      'HWCERT_IAM_ENDPOINT: "https://iam.example/?a=1" must not have a query or fragment',
    ],
    [
      { HWCERT_ELB_ENDPOINT: "https://user:pw@elb.example" },
      "HWCERT_ELB_ENDPOINT: must not contain user info; credentials have their own settings",
    ],
    [
      { HWCERT_ELB_CERTIFICATE_IDS: " , " },
      "HWCERT_ELB_CERTIFICATE_IDS: is set but lists no certificate id",
    ],
    [
      { HWCERT_ELB_CERTIFICATE_IDS: "ok1,a/b" },
      'HWCERT_ELB_CERTIFICATE_IDS: "a/b" is not a certificate id (letters, digits, "-" and "_")',
    ],
    [
      { HWCERT_STORED_CERTIFICATES: "," },
      "HWCERT_STORED_CERTIFICATES: is set but lists no resource id",
    ],
    [
      { HWCERT_STORED_CERTIFICATES: "scs1,scs 2,../x" },
      'HWCERT_STORED_CERTIFICATES: "scs 2", "../x" are not resource ids (letters, digits, "-" and "_")',
    ],
    [
      { HWCERT_POLL_SCHEDULE: "61 * * * *" },
      'HWCERT_POLL_SCHEDULE: "61 * * * *" is not a valid cron expression (61 is a invalid expression for minute)',
    ],
    [
      { HWCERT_POLL_SCHEDULE: "hourly" },
      'HWCERT_POLL_SCHEDULE: "hourly" is not a valid cron expression (expected 5 or 6 fields but got 1)',
    ],
    [
      { HWCERT_LISTEN_ADDRESS: "10057" },
      'HWCERT_LISTEN_ADDRESS: "10057" is not a listen address (expected host:port, e.g. 0.0.0.0:10057 or [::]:10057)',
    ],
    [
      { HWCERT_LISTEN_ADDRESS: "0.0.0.0:70000" },
      'HWCERT_LISTEN_ADDRESS: "0.0.0.0:70000" is not a listen address (expected host:port, e.g. 0.0.0.0:10057 or [::]:10057)',
    ],
    [{ HWCERT_HTTP_TIMEOUT_SECONDS: "ten" }, 'HWCERT_HTTP_TIMEOUT_SECONDS: "ten" is not a number'],
    [
      { HWCERT_HTTP_TIMEOUT_SECONDS: "0" },
      "HWCERT_HTTP_TIMEOUT_SECONDS: 0 is out of range (a number from above 0 to 300)",
    ],
    [{ HWCERT_CONCURRENCY: "1.5" }, 'HWCERT_CONCURRENCY: "1.5" is not a whole number'],
    [
      { HWCERT_CONCURRENCY: "100" },
      "HWCERT_CONCURRENCY: 100 is out of range (a whole number from 1 to 64)",
    ],
    [
      { HWCERT_LOG_LEVEL: "verbose" },
      'HWCERT_LOG_LEVEL: "verbose" is not a log level (one of trace, debug, info, warn, error, fatal, silent)',
    ],
    [
      { HWCERT_REGOIN: "x" },
      "HWCERT_REGOIN: unknown setting; did you mean HWCERT_REGION? (see config/example.env)",
    ],
    [
      { HWCERT_LISTEN_ADRESS: "127.0.0.1:9000" },
      "HWCERT_LISTEN_ADRESS: unknown setting; did you mean HWCERT_LISTEN_ADDRESS? (see config/example.env)",
    ],
    [
      { HWCERT_AUTH_TOKEN_FILES: "/run/t" },
      "HWCERT_AUTH_TOKEN_FILES: unknown setting; did you mean HWCERT_AUTH_TOKEN_FILE? (see config/example.env)",
    ],
    [
      { HWCERT_TYPO: "x" },
      "HWCERT_TYPO: unknown setting (check the spelling; see config/example.env)",
    ],
    [
      { HWCERT_SOURCES: "elb,acm" },
      'HWCERT_SOURCES: unknown source "acm" (choose from elb, geminidb, ccm)',
    ],
    [
      { HWCERT_DOMAIN_ID: "../etc" },
      'HWCERT_DOMAIN_ID: "../etc" is not a domain id (letters, digits, "-" and "_", at most 64)',
    ],
    [
      { HWCERT_CCM_ENDPOINT: "ftp://scm.example.com" },
      'HWCERT_CCM_ENDPOINT: "ftp://scm.example.com" must use https:// (or http:// for a local simulator)',
    ],
    [
      { HWCERT_AUTH_TOKEN_FILE: "/run/secrets/token" },
      "HWCERT_AUTH_TOKEN: set both HWCERT_AUTH_TOKEN and HWCERT_AUTH_TOKEN_FILE; set only one",
    ],
  ])("rejects %j", (overrides, message) => {
    expect(errorsOf(overrides)).toEqual([message]);
  });

  it("polls Cloud Certificate Manager when asked, with the account's domain id", () => {
    const result = load({
      HWCERT_SOURCES: "ccm, elb",
      HWCERT_DOMAIN_ID: "0970dd7a1300f5672ff2c003c60ae115",
      HWCERT_CCM_ENDPOINT: "http://127.0.0.1:9000/",
    });
    if (!result.ok) throw new Error(result.errors.join("\n"));
    const target = result.config.targets[0]!;
    expect(target.sources).toEqual(["elb", "ccm"]);
    expect(target.domainId).toBe("0970dd7a1300f5672ff2c003c60ae115");
    expect(target.endpoints.ccm).toBe("http://127.0.0.1:9000");
  });

  it.each<[string, Environment, readonly string[]]>([
    ["a known region", {}, []],
    [
      "a region that is not a known public one",
      { HWCERT_REGION: "ap-southeast-9" },
      [
        'HWCERT_REGION: "ap-southeast-9" is not a known Huawei Cloud region; for a private region, set HWCERT_IAM_ENDPOINT, HWCERT_ELB_ENDPOINT and HWCERT_GEMINIDB_ENDPOINT to its API hosts',
      ],
    ],
    [
      "a misspelt region, with the nearest known one",
      { HWCERT_REGION: "ap-southaest-1", HWCERT_SOURCES: "elb" },
      [
        'HWCERT_REGION: "ap-southaest-1" is not a known Huawei Cloud region (did you mean "ap-southeast-1"?); for a private region, set HWCERT_IAM_ENDPOINT and HWCERT_ELB_ENDPOINT to its API hosts',
      ],
    ],
    [
      "a private region whose endpoints are all set",
      {
        HWCERT_REGION: "cn-private-1",
        HWCERT_SOURCES: "elb",
        HWCERT_ELB_ENDPOINT: "https://elb.cloud.example",
        HWCERT_IAM_ENDPOINT: "https://iam.cloud.example",
      },
      [],
    ],
    [
      "a private region with one endpoint left to the region",
      {
        HWCERT_REGION: "cn-private-1",
        HWCERT_SOURCES: "elb,ccm",
        HWCERT_ELB_ENDPOINT: "https://elb.cloud.example",
      },
      [
        'HWCERT_REGION: "cn-private-1" is not a known Huawei Cloud region; for a private region, set HWCERT_IAM_ENDPOINT and HWCERT_CCM_ENDPOINT to its API hosts',
      ],
    ],
  ])("warns, without refusing, about %s", (_name, overrides, warnings) => {
    const result = load(overrides);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual(warnings);
  });

  it("names the settings that decide each endpoint, for errors that cannot reach it", () => {
    const result = load({ HWCERT_ELB_ENDPOINT: "https://elb.example.test" });
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.config.targets[0]!.endpointSettings).toEqual({
      elb: "HWCERT_ELB_ENDPOINT",
      geminidb: "HWCERT_REGION or HWCERT_GEMINIDB_ENDPOINT",
      ccm: "HWCERT_REGION or HWCERT_CCM_ENDPOINT",
      iam: "HWCERT_REGION or HWCERT_IAM_ENDPOINT",
    });
  });

  it("leaves the project id to IAM when it is not set", () => {
    const result = load({ HWCERT_PROJECT_ID: undefined });
    expect(result.ok && result.config.targets[0]!.projectId).toBeNull();
  });

  it.each<[string, Environment, string]>([
    ["AK/SK", { HUAWEICLOUD_SDK_AK: "AKID1234", HUAWEICLOUD_SDK_SK: "sk-value" }, "aksk"],
    [
      "temporary AK/SK",
      {
        HUAWEICLOUD_SDK_AK: "AKID1234",
        HUAWEICLOUD_SDK_SK: "sk-value",
        HUAWEICLOUD_SDK_SECURITY_TOKEN: "sts-value",
      },
      "aksk",
    ],
    [
      "IAM password",
      { HWCERT_IAM_DOMAIN: "acme", HWCERT_IAM_USERNAME: "exporter", HWCERT_IAM_PASSWORD: "pw" },
      "password",
    ],
  ])("accepts %s credentials", (_name, credentials, kind) => {
    const result = load({ HWCERT_AUTH_TOKEN: undefined, ...credentials });
    if (!result.ok) throw new Error(result.errors.join("\n"));
    const auth = result.config.targets[0]!.auth;
    expect(auth.kind).toBe(kind);
    expect(JSON.stringify(result.config)).not.toMatch(/sk-value|sts-value|"pw"/);
    if (auth.kind === "aksk") {
      expect(auth.securityToken?.reveal() ?? null).toBe(
        credentials["HUAWEICLOUD_SDK_SECURITY_TOKEN"] ?? null,
      );
    }
  });

  it("reads an SK from HUAWEICLOUD_SDK_SK_FILE", () => {
    const result = load(
      {
        HWCERT_AUTH_TOKEN: undefined,
        HUAWEICLOUD_SDK_AK: "AKID",
        HUAWEICLOUD_SDK_SK_FILE: "/s/sk",
      },
      { readSecretFile: (path) => (path === "/s/sk" ? "sk-from-file\n" : "") },
    );
    if (!result.ok) throw new Error(result.errors.join("\n"));
    const auth = result.config.targets[0]!.auth;
    expect(auth.kind === "aksk" && auth.secretKey.reveal()).toBe("sk-from-file");
  });

  it("reports every problem at once", () => {
    const errors = errorsOf({
      HWCERT_REGION: undefined,
      HWCERT_POLL_SCHEDULE: "* * *",
      HWCERT_LOG_LEVEL: "loud",
      HWCERT_FOO: "1",
    });
    expect(errors.map((e) => e.split(":")[0])).toEqual([
      "HWCERT_FOO",
      "HWCERT_POLL_SCHEDULE",
      "HWCERT_LOG_LEVEL",
      "HWCERT_REGION",
    ]);
  });

  it("ignores variables without the HWCERT_ prefix", () => {
    expect(load({ PATH: "/bin", HOME: "/root" }).ok).toBe(true);
  });

  it("reads a secret from <NAME>_FILE and trims the trailing newline", () => {
    const result = load(
      { HWCERT_AUTH_TOKEN: undefined, HWCERT_AUTH_TOKEN_FILE: "/run/secrets/token" },
      { readSecretFile: (path) => (path === "/run/secrets/token" ? "file-token-value\n" : "") },
    );
    if (!result.ok) throw new Error(result.errors.join("\n"));
    const auth = result.config.targets[0]!.auth;
    expect(auth.kind === "token" && auth.token.reveal()).toBe("file-token-value");
  });

  it.each<[string, () => string, string]>([
    [
      "missing",
      () => {
        throw Object.assign(new Error("x"), { code: "ENOENT" });
      },
      'HWCERT_AUTH_TOKEN_FILE: cannot read "/s" (ENOENT)',
    ],
    ["empty", () => "\n", 'HWCERT_AUTH_TOKEN_FILE: "/s" is empty'],
  ])("rejects a %s secret file", (_name, readSecretFile, message) => {
    const result = load(
      { HWCERT_AUTH_TOKEN: undefined, HWCERT_AUTH_TOKEN_FILE: "/s" },
      { readSecretFile },
    );
    expect(result.ok ? [] : result.errors).toEqual([message]);
  });
});
