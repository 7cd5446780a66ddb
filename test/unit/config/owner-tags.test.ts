import { describe, expect, it } from "vitest";
import { loadConfig, type Environment } from "../../../src/config/load-config.js";

const BASE: Environment = {
  HWCERT_REGION: "ap-southeast-1",
  HWCERT_PROJECT_ID: "0605767f3e00d4a72f4bc01f8d0e8b1a",
  HWCERT_AUTH_TOKEN: "MIIT-token-value",
};

function load(value: string | undefined) {
  return loadConfig(
    { ...BASE, HWCERT_OWNER_TAGS: value },
    {
      readSecretFile: () => {
        throw new Error("no files");
      },
    },
  );
}

describe("HWCERT_OWNER_TAGS", () => {
  it("reads no tags when unset", () => {
    const result = load(undefined);
    expect(result.ok && result.config.ownerTags).toEqual([]);
  });

  it("turns each key into a tag_ label, keeping the key as written", () => {
    const result = load(" team, env ,cost-center,Owner.Email ,");
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.config.ownerTags).toEqual([
      { key: "team", label: "tag_team" },
      { key: "env", label: "tag_env" },
      { key: "cost-center", label: "tag_cost_center" },
      { key: "Owner.Email", label: "tag_Owner_Email" },
    ]);
  });

  it.each([
    [",", "HWCERT_OWNER_TAGS: is set but lists no tag key"],
    ["team,team", 'HWCERT_OWNER_TAGS: "team" is listed twice'],
    [
      "cost-center,cost_center",
      'HWCERT_OWNER_TAGS: "cost-center" and "cost_center" would both be label tag_cost_center',
    ],
    ["a=b", 'HWCERT_OWNER_TAGS: "a=b" is not a tag key (at most 128 characters, no "=" or spaces)'],
    [
      "my team",
      'HWCERT_OWNER_TAGS: "my team" is not a tag key (at most 128 characters, no "=" or spaces)',
    ],
    [
      Array.from({ length: 21 }, (_, index) => `k${index}`).join(","),
      "HWCERT_OWNER_TAGS: lists 21 tag keys; at most 20",
    ],
  ])("rejects %j", (value, message) => {
    const result = load(value);
    expect(result.ok ? [] : result.errors).toEqual([message]);
  });
});
