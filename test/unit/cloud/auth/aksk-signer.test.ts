import { describe, expect, it } from "vitest";
import {
  authorizationHeader,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  formatSdkDate,
} from "../../../../src/cloud/auth/aksk-signer.js";

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

describe("SDK-HMAC-SHA256", () => {
  it("reproduces the official SDK's public test vector", () => {
    const request = {
      method: "GET",
      url: new URL("https://example.huaweicloud.com/path?limit=1"),
      headers: { "X-Sdk-Date": "20060102T150405Z" },
      body: "",
    };
    expect(canonicalRequest(request)).toBe(
      `GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n${EMPTY_SHA256}`,
    );
    expect(authorizationHeader(request, "AccessKey", "SecretKey")).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
    );
  });

  it.each([
    ["https://h/v3/p/elb/certificates", "/v3/p/elb/certificates/"],
    ["https://h/", "/"],
    ["https://h/a%20b/c%2Fd", "/a%20b/c%2Fd/"],
    ["https://h/it's(ok)*", "/it%27s%28ok%29%2A/"],
    ["https://h/%E4%B8%AD", "/%E4%B8%AD/"],
    ["https://h/a/", "/a/"],
  ])("canonical URI of %s is %s", (url, expected) => {
    expect(canonicalUri(new URL(url))).toBe(expected);
  });

  it.each([
    ["https://h/p?limit=1", "limit=1"],
    ["https://h/p?b=2&a=1", "a=1&b=2"],
    ["https://h/p?id=b&id=a&id=c", "id=a&id=b&id=c"],
    ["https://h/p?empty=&x", "empty=&x="],
    ["https://h/p?name=a%20b&q=%2A", "name=a%20b&q=%2A"],
    ["https://h/p?name=a+b", "name=a%20b"],
    ["https://h/p", ""],
  ])("canonical query of %s is %s", (url, expected) => {
    expect(canonicalQuery(new URL(url))).toBe(expected);
  });

  it("signs headers sorted by lower-case name with trimmed values", () => {
    const canonical = canonicalRequest({
      method: "get",
      url: new URL("https://elb.example/v3/p/elb/certificates?marker=x&limit=2000"),
      headers: { "X-Sdk-Date": "20261125T120000Z", Host: "elb.example", "X-Project-Id": " p " },
      body: "",
    });
    expect(canonical.split("\n").slice(0, 7)).toEqual([
      "GET",
      "/v3/p/elb/certificates/",
      "limit=2000&marker=x",
      "host:elb.example",
      "x-project-id:p",
      "x-sdk-date:20261125T120000Z",
      "",
    ]);
    expect(canonical.split("\n")[7]).toBe("host;x-project-id;x-sdk-date");
  });

  it("formats X-Sdk-Date in UTC", () => {
    expect(formatSdkDate(new Date(Date.UTC(2006, 0, 2, 15, 4, 5, 999)))).toBe("20060102T150405Z");
  });
});
