// `config check` output: every effective setting, and no secret but an access key's last four.

import { describe, expect, it } from "vitest";
import { renderConfigReport } from "../../../src/cli/config-report.js";
import { loadConfig } from "../../../src/config/load-config.js";

const BASE = { HWCERT_REGION: "ap-southeast-1" };

function report(env: Record<string, string>): string {
  const result = loadConfig({ ...BASE, ...env }, { readSecretFile: () => "" });
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return renderConfigReport(result.config);
}

describe("renderConfigReport", () => {
  it("shows the effective settings and masks the AK/SK", () => {
    const text = report({
      HUAWEICLOUD_SDK_AK: "HPUAEXAMPLEACCESSKEY",
      HUAWEICLOUD_SDK_SK: "very-secret-key-value-0123456789",
      HUAWEICLOUD_SDK_SECURITY_TOKEN: "security-token-value",
      HWCERT_ELB_CERTIFICATE_IDS: "abc,def",
    });
    expect(text.split("\n")[0]).toBe("configuration is valid");
    expect(text).toContain("AK/SK signing, access key ****************SKEY");
    expect(text).toContain("secret key ********, security token ********");
    expect(text).not.toContain("very-secret-key-value");
    expect(text).not.toContain("security-token-value");
    expect(text).not.toContain("HPUAEXAMPLEACCESS");
    expect(text).toMatch(/poll schedule +\*\/5 \* \* \* \* \(UTC/);
    expect(text).toMatch(/ELB endpoint +https:\/\/elb\.ap-southeast-1\.myhuaweicloud\.com\n/);
    expect(text).toMatch(/ELB certificates +abc, def\n/);
    expect(text).toMatch(/project +\(looked up through IAM/);
    expect(text).toMatch(/stored only +none marked \(a CCM certificate nothing visibly uses/);
  });

  it("lists the certificates marked as only stored", () => {
    const text = report({ HWCERT_AUTH_TOKEN: "t", HWCERT_STORED_CERTIFICATES: "scs1,cert-2" });
    expect(text).toMatch(/stored only +scs1, cert-2\n/);
  });

  it.each([
    [{ HWCERT_AUTH_TOKEN: "a-static-token-value" }, "static IAM token ********", "a-static-token"],
    [
      {
        HWCERT_IAM_DOMAIN: "acme",
        HWCERT_IAM_USERNAME: "exporter",
        HWCERT_IAM_PASSWORD: "hunter2-long",
      },
      "IAM user exporter of domain acme, password ********",
      "hunter2",
    ],
  ])("masks %j", (env, shown, secret) => {
    const text = report(env);
    expect(text).toContain(shown);
    expect(text).not.toContain(secret);
  });
});
