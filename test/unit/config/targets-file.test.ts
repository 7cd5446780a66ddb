import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig, type Environment } from "../../../src/config/load-config.js";

const FILE = "/etc/hwcert/targets.yaml";
const PROJECT = "0605767f3e00d4a72f4bc01f8d0e8b1a";

function load(content: string, env: Environment = {}, secrets: Record<string, string> = {}) {
  return loadConfig(
    { HWCERT_CONFIG_FILE: FILE, HWCERT_AUTH_TOKEN: "env-token-value", ...env },
    {
      readConfigFile: (path) => {
        if (path !== FILE) throw Object.assign(new Error("no"), { code: "ENOENT" });
        return content;
      },
      readSecretFile: (path) => {
        const value = secrets[path];
        if (value === undefined) throw Object.assign(new Error("no"), { code: "ENOENT" });
        return value;
      },
    },
  );
}

function errorsOf(content: string, env: Environment = {}): readonly string[] {
  const result = load(content, env);
  if (result.ok) throw new Error("expected the file to be rejected");
  return result.errors;
}

describe("HWCERT_CONFIG_FILE", () => {
  it("reads targets with their own sources, endpoints, ids and credentials", () => {
    const result = load(
      `
targets:
  - name: prod-sg
    region: ap-southeast-1
    project_id: 0605767f3e00d4a72f4bc01f8d0e8b1a
    sources: [elb, ccm]
    domain_id: 0970dd7a1300f5672ff2c003c60ae115
    endpoints:
      ccm: https://scm.example.test/
    elb_certificate_ids: [a1, b2]
  - region: eu-west-101
    sources: geminidb
    endpoints:
      geminidb: https://gaussdb-nosql.{region}.myhuaweicloud.eu
      iam: https://iam.{region}.myhuaweicloud.eu
    credentials:
      access_key: AKIDTEAMB
      secret_key_file: /run/secrets/team-b-sk
      security_token_env: TEAM_B_STS
`,
      { HWCERT_SOURCES: "elb,geminidb", TEAM_B_STS: "sts-value" },
      { "/run/secrets/team-b-sk": "sk-value\n" },
    );
    if (!result.ok) throw new Error(result.errors.join("\n"));
    const [first, second] = result.config.targets;
    expect(first).toMatchObject({
      label: "prod-sg",
      region: "ap-southeast-1",
      projectId: "0605767f3e00d4a72f4bc01f8d0e8b1a",
      sources: ["elb", "ccm"],
      domainId: "0970dd7a1300f5672ff2c003c60ae115",
      elb: { certificateIds: ["a1", "b2"] },
      endpoints: {
        elb: "https://elb.ap-southeast-1.myhuaweicloud.com",
        ccm: "https://scm.example.test",
      },
    });
    expect(first!.auth.kind).toBe("token");
    expect(second).toMatchObject({
      label: "targets[1]",
      region: "eu-west-101",
      projectId: null,
      domainId: null,
      sources: ["geminidb"],
      endpoints: {
        geminidb: "https://gaussdb-nosql.eu-west-101.myhuaweicloud.eu",
        ccm: "https://scm.eu-west-101.myhuaweicloud.com",
        iam: "https://iam.eu-west-101.myhuaweicloud.eu",
      },
    });
    const auth = second!.auth;
    if (auth.kind !== "aksk") throw new Error("expected AK/SK");
    expect([
      auth.accessKey.reveal(),
      auth.secretKey.reveal(),
      auth.securityToken?.reveal(),
    ]).toEqual(["AKIDTEAMB", "sk-value", "sts-value"]);
  });

  it("reads JSON as well", () => {
    const result = load('{"targets": [{"region": "cn-north-4"}]}');
    expect(result.ok && result.config.targets.map((t) => t.region)).toEqual(["cn-north-4"]);
  });

  it.each<[string, string, Environment, readonly string[]]>([
    [
      "a YAML syntax error, with its position",
      "targets:\n  - region: [unclosed\n",
      {},
      [
        `HWCERT_CONFIG_FILE: ${FILE}: line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]`,
      ],
    ],
    ["no targets", "targets: []\n", {}, [`HWCERT_CONFIG_FILE: ${FILE}: targets: lists no target`]],

    [
      "a bad region and endpoint",
      "targets:\n  - region: Mars\n    endpoints: {elb: 'not a url'}\n",
      {},
      [
        `HWCERT_CONFIG_FILE: ${FILE}: targets[0].region: "Mars" is not a region name (expected something like ap-southeast-1)`,
        `HWCERT_CONFIG_FILE: ${FILE}: targets[0].endpoints.elb: "not a url" is not a valid URL`,
      ],
    ],
    [
      "an inline secret",
      "targets:\n  - region: ap-southeast-1\n    credentials: {access_key: AK, secret_key: oops}\n",
      {},
      [
        `HWCERT_CONFIG_FILE: ${FILE}: targets[0].credentials.secret_key: write no secret in the file: use secret_key_file or secret_key_env`,
      ],
    ],
    [
      "two methods in one credentials block",
      "targets:\n  - region: ap-southeast-1\n    credentials: {token_env: T, access_key: AK, secret_key_env: T}\n",
      { T: "x-value" },
      [
        `HWCERT_CONFIG_FILE: ${FILE}: targets[0].credentials: several auth methods configured: static token (token_file/token_env) and AK/SK (access_key, secret_key_file/secret_key_env); set exactly one`,
      ],
    ],
    [
      "a secret variable that is not set",
      "targets:\n  - region: ap-southeast-1\n    credentials: {token_env: MISSING}\n",
      {},
      [
        `HWCERT_CONFIG_FILE: ${FILE}: targets[0].credentials.token_env: environment variable MISSING is not set`,
      ],
    ],
    [
      "a target polled twice",
      `targets:\n  - {region: ap-southeast-1, project_id: ${PROJECT}}\n  - {region: ap-southeast-1, project_id: ${PROJECT}, sources: [elb]}\n`,
      {},
      [
        `HWCERT_CONFIG_FILE: ${FILE}: targets[1]: polls elb of project ${PROJECT} in ap-southeast-1 again (already in targets[0])`,
      ],
    ],
    [
      "per-target settings left in the environment",
      "targets:\n  - region: ap-southeast-1\n",
      { HWCERT_REGION: "ap-southeast-1" },
      ["HWCERT_REGION: is set per target in HWCERT_CONFIG_FILE; remove it from the environment"],
    ],
  ])("rejects %s", (_name, content, env, expected) => {
    expect(errorsOf(content, env)).toEqual(expected);
  });

  it("requires credentials somewhere", () => {
    const result = loadConfig(
      { HWCERT_CONFIG_FILE: FILE },
      { readConfigFile: () => "targets:\n  - region: ap-southeast-1\n", readSecretFile: () => "" },
    );
    expect(result.ok ? [] : result.errors).toEqual([
      `HWCERT_CONFIG_FILE: ${FILE}: targets[0]: no credentials: give the target a credentials block, or set them in the environment (HWCERT_AUTH_TOKEN; or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK; or HWCERT_IAM_DOMAIN, HWCERT_IAM_USERNAME and HWCERT_IAM_PASSWORD)`,
    ]);
  });

  it("names an unreadable file", () => {
    const result = loadConfig(
      { HWCERT_CONFIG_FILE: "/nope.yaml", HWCERT_AUTH_TOKEN: "t-value" },
      {
        readSecretFile: () => {
          throw Object.assign(new Error("no"), { code: "ENOENT" });
        },
      },
    );
    expect(result.ok ? [] : result.errors).toEqual([
      'HWCERT_CONFIG_FILE: cannot read "/nope.yaml" (ENOENT)',
    ]);
  });
});

describe("HWCERT_CONFIG_FILE mistakes: one plain sentence each", () => {
  const at = (path: string): string => `HWCERT_CONFIG_FILE: ${FILE}: ${path}`;
  it.each<[string, string, readonly string[]]>([
    [
      "a misspelt required key, said once",
      "targets:\n  - regoin: ap-southeast-1\n",
      [`${at("targets[0]")}: unknown key "regoin"; did you mean "region"?`],
    ],
    [
      "a misspelt optional key next to a valid region",
      "targets:\n  - region: ap-southeast-1\n    projectid: x\n",
      [`${at("targets[0]")}: unknown key "projectid"; did you mean "project_id"?`],
    ],
    [
      "a key nothing resembles, with the valid keys",
      "targets:\n  - region: ap-southeast-1\n    colour: blue\n",
      [
        `${at("targets[0]")}: unknown key "colour" (valid keys: name, region, project_id, domain_id, sources, endpoints, elb_certificate_ids, geminidb_instance_ids, credentials)`,
      ],
    ],
    [
      "a misspelt key inside credentials",
      "targets:\n  - region: ap-southeast-1\n    credentials: {token_flie: /run/t}\n",
      [`${at("targets[0].credentials")}: unknown key "token_flie"; did you mean "token_file"?`],
    ],
    [
      "a misspelt endpoint",
      "targets:\n  - region: ap-southeast-1\n    endpoints: {gemindb: https://x.example}\n",
      [`${at("targets[0].endpoints")}: unknown key "gemindb"; did you mean "geminidb"?`],
    ],
    [
      "a misspelt top-level key",
      "target:\n  - region: ap-southeast-1\n",
      [`HWCERT_CONFIG_FILE: ${FILE}: unknown key "target"; did you mean "targets"?`],
    ],
    [
      "a missing region",
      "targets:\n  - project_id: 0605767f3e00d4a72f4bc01f8d0e8b1a\n",
      [`${at("targets[0]")}: "region" is required`],
    ],
    [
      "a threshold without its critical limit",
      "targets:\n  - region: ap-southeast-1\nthresholds:\n  cert-1: {warning: 14d}\n",
      [`${at("thresholds.cert-1")}: "critical" is required`],
    ],
    [
      "an empty region",
      "targets:\n  - region:\n",
      [`${at("targets[0].region")}: is empty; it must be text`],
    ],
    [
      "a number where text belongs",
      "targets:\n  - region: ap-southeast-1\n    elb_certificate_ids: [12345]\n",
      [`${at("targets[0].elb_certificate_ids[0]")}: must be text, not a number; put it in quotes`],
    ],
    [
      "one target instead of a list",
      "targets:\n  region: ap-southeast-1\n",
      [`${at("targets")}: must be a list, not a mapping`],
    ],
    [
      "sources as a number",
      "targets:\n  - region: ap-southeast-1\n    sources: 3\n",
      [`${at("targets[0].sources")}: must be a list such as [elb, ccm] or text such as "elb,ccm"`],
    ],
    [
      "an empty id list",
      "targets:\n  - region: ap-southeast-1\n    geminidb_instance_ids: []\n",
      [`${at("targets[0].geminidb_instance_ids")}: lists no instance id`],
    ],
    [
      "an empty file",
      "",
      [
        `HWCERT_CONFIG_FILE: ${FILE}: the file is empty; it must hold a targets: list (see config/targets.example.yaml)`,
      ],
    ],
    [
      "a list at the top",
      "- region: ap-southeast-1\n",
      [`HWCERT_CONFIG_FILE: ${FILE}: must be a mapping with a targets: list, not a list`],
    ],
    [
      "a project name instead of its id",
      "targets:\n  - region: ap-southeast-1\n    project_id: ap-southeast-1\n",
      [
        `${at("targets[0].project_id")}: "ap-southeast-1" looks like a project name (a region), not its id (see My Credentials > API Credentials, or leave project_id out to look the id up by region)`,
      ],
    ],
  ])("%s", (_name, content, expected) => {
    expect(errorsOf(content)).toEqual(expected);
  });

  it("warns about a region that is not a known public one, naming the target's endpoints", () => {
    const result = load(
      "targets:\n  - region: ap-southeast-9\n    sources: [elb]\n    endpoints: {iam: https://iam.example.test}\n",
    );
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      `${at("targets[0].region")}: "ap-southeast-9" is not a known Huawei Cloud region; for a private region, set endpoints.elb of the target (or HWCERT_ELB_ENDPOINT for every target) to its API hosts`,
    ]);
  });

  it("names the settings behind each endpoint of a file target", () => {
    const result = load(
      "targets:\n  - region: ap-southeast-1\n    endpoints: {iam: 'https://iam.{region}.example.test', elb: https://elb.example.test}\n",
      { HWCERT_GEMINIDB_ENDPOINT: "https://nosql.example.test" },
    );
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.config.targets[0]?.endpointSettings).toEqual({
      iam: `targets[0].region or targets[0].endpoints.iam in ${FILE}`,
      elb: `targets[0].endpoints.elb in ${FILE}`,
      geminidb: "HWCERT_GEMINIDB_ENDPOINT",
      ccm: `targets[0].region in ${FILE}, or HWCERT_CCM_ENDPOINT`,
    });
  });
});

describe("config/targets.example.yaml", () => {
  it("is a valid targets file", () => {
    const example = readFileSync(
      new URL("../../../config/targets.example.yaml", import.meta.url),
      "utf8",
    );
    const result = load(
      example,
      { TEAM_B_AK: "AKIDTEAMB" },
      {
        "/run/secrets/team-b-sk": "sk",
        "/run/secrets/team-b-security-token": "sts",
        "/run/secrets/legacy-password": "pw",
      },
    );
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.config.targets.map((t) => [t.label, t.auth.kind])).toEqual([
      ["prod-singapore", "token"],
      ["shop-frontends", "token"],
      ["eu-team-b", "aksk"],
      ["legacy-account", "password"],
    ]);
  });
});
