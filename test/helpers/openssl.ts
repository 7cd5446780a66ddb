// OpenSSL's own reading of a certificate: the reference the exporter's values are compared
// with. Uses the openssl binary, never the project's parser.

import { execFileSync } from "node:child_process";

export interface OpensslReading {
  readonly serial: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly subjectCn: string;
  readonly issuerCn: string;
  /** Lower-case hex without colons. */
  readonly fingerprintSha256: string;
}

/** Splits a PEM bundle into its certificate blocks, normalised so openssl can read one-line PEM. */
export function certificateBlocks(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => {
    const body = block
      .replace("-----BEGIN CERTIFICATE-----", "")
      .replace("-----END CERTIFICATE-----", "")
      .replace(/\s+/g, "");
    const lines = body.match(/.{1,64}/g) ?? [];
    return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
  });
}

function opensslTime(text: string): number {
  // e.g. "Nov 17 13:25:47 2045 GMT"
  const millis = Date.parse(text.replace(/\s+GMT$/, " UTC"));
  if (Number.isNaN(millis)) throw new Error(`cannot read openssl time ${text}`);
  return millis / 1000;
}

function commonName(dn: string): string {
  const match = /(?:^|[,/]\s*)CN\s*=\s*([^,/]*)/.exec(dn);
  return match?.[1]?.trim() ?? "";
}

export function readWithOpenssl(blockPem: string): OpensslReading {
  const output = execFileSync(
    "openssl",
    [
      "x509",
      "-noout",
      "-serial",
      "-startdate",
      "-enddate",
      "-fingerprint",
      "-sha256",
      "-subject",
      "-issuer",
      "-nameopt",
      "RFC2253",
    ],
    { input: blockPem, encoding: "utf8" },
  );
  const field = (name: string): string => {
    const line = output.split("\n").find((l) => l.startsWith(`${name}=`));
    if (line === undefined) throw new Error(`openssl printed no ${name}: ${output}`);
    return line.slice(name.length + 1).trim();
  };
  return {
    serial: field("serial"),
    notBefore: opensslTime(field("notBefore")),
    notAfter: opensslTime(field("notAfter")),
    subjectCn: commonName(field("subject")),
    issuerCn: commonName(field("issuer")),
    fingerprintSha256: field("sha256 Fingerprint").replaceAll(":", "").toLowerCase(),
  };
}
