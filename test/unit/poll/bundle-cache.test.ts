import { describe, expect, it } from "vitest";
import { parseCertificateBundle } from "../../../src/certs/index.js";
import { BundleCache } from "../../../src/poll/bundle-cache.js";
import { generateChain } from "../../../src/simulator/index.js";

const DAY = 86_400_000;

async function chain(name: string): Promise<string> {
  const now = Date.now();
  return (
    await generateChain({
      commonName: `${name}.example.com`,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 30 * DAY),
    })
  ).certificatePem;
}

describe("BundleCache", () => {
  it("parses a chain shared by several bundles once, and gives what the parser gives", async () => {
    const [first, second] = [await chain("one"), await chain("two")];
    const cache = new BundleCache();
    const a = cache.parse(first);
    const b = cache.parse(second);
    expect(a).toEqual(parseCertificateBundle(first));
    expect(b).toEqual(parseCertificateBundle(second));
    // Two leaves and the intermediate they share.
    expect(cache.size).toEqual({ bundles: 2, certificates: 3 });
    expect(cache.parse(first)).toBe(a);
  });

  it("evicts what a poll did not use, and keeps everything after a failed poll", async () => {
    const [first, second] = [await chain("three"), await chain("four")];
    const cache = new BundleCache();
    cache.parse(first);
    cache.parse(second);
    cache.sweep();

    cache.parse(first);
    cache.keepAll();
    expect(cache.size).toEqual({ bundles: 2, certificates: 3 });

    cache.parse(first);
    cache.sweep();
    expect(cache.size).toEqual({ bundles: 1, certificates: 2 });
  });

  it("does not remember broken input as a certificate", () => {
    const cache = new BundleCache();
    const bundle = cache.parse(
      "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
    );
    expect(bundle.certificates).toHaveLength(0);
    expect(bundle.issues.length).toBeGreaterThan(0);
    expect(cache.size.certificates).toBe(0);
  });
});
