import { describe, expect, it } from "vitest";
import { checkLink, type LinkPolicy } from "../../../src/cloud/link-policy.js";

const policy: LinkPolicy = {
  allowedHosts: ["*.myhuaweicloud.com", "files.example.com", "127.0.0.1", "[::1]"],
  allowHttp: false,
};

describe("checkLink", () => {
  it.each<[string, LinkPolicy, string | null]>([
    ["https://bucket.obs.ap-southeast-1.myhuaweicloud.com/ca.crt?Signature=x", policy, null],
    ["https://obs.myhuaweicloud.com/ca.crt", policy, null],
    ["https://FILES.example.com/ca.crt", policy, null],
    ["https://127.0.0.1:8443/ca.crt", policy, null],
    ["https://[::1]/ca.crt", policy, null],
    ["https://myhuaweicloud.com/ca.crt", policy, "host myhuaweicloud.com is not allowed"],
    ["https://evilmyhuaweicloud.com/ca.crt", policy, "host evilmyhuaweicloud.com is not allowed"],
    [
      "https://myhuaweicloud.com.evil.example/ca.crt",
      policy,
      "host myhuaweicloud.com.evil.example is not allowed",
    ],
    ["https://169.254.169.254/latest/meta-data/", policy, "host 169.254.169.254 is not allowed"],
    ["https://[fd00::1]/ca.crt", policy, "host [fd00::1] is not allowed"],
    ["https://0x7f000001/ca.crt", policy, null],
    ["http://bucket.obs.myhuaweicloud.com/ca.crt", policy, "scheme http is not allowed"],
    ["http://bucket.obs.myhuaweicloud.com/ca.crt", { ...policy, allowHttp: true }, null],
    ["file:///etc/passwd", { ...policy, allowHttp: true }, "scheme file is not allowed"],
    ["data:text/plain,hello", policy, "scheme data is not allowed"],
    ["ftp://files.example.com/ca.crt", policy, "scheme ftp is not allowed"],
    ["https://user:pw@files.example.com/ca.crt", policy, "links with user info are not allowed"],
    [
      "https://1.2.3.4/ca.crt",
      { allowedHosts: ["*.3.4"], allowHttp: false },
      "host 1.2.3.4 is not allowed",
    ],
  ])("%s", (link, linkPolicy, problem) => {
    const verdict = checkLink(new URL(link), linkPolicy);
    expect(verdict.ok ? null : verdict.detail).toBe(problem);
  });
});
