// Plain snapshot data for the status unit tests: certificates and sources built field by field,
// so each test states exactly the dates and names it is about.

import type { ChainPosition, ParsedCertificate } from "../../../src/certs/types.js";
import { type Snapshot, type SourceSnapshot } from "../../../src/poll/snapshot.js";
import {
  linkKey,
  type CaLinkState,
  type GeminiDbInstanceState,
  type GeminiDbSourceSnapshot,
} from "../../../src/sources/geminidb/snapshot.js";
import {
  type CcmCertificateState,
  type CcmSourceSnapshot,
  type CcmStatus,
} from "../../../src/sources/ccm/snapshot.js";
import {
  type ElbCertificateState,
  type ElbSourceSnapshot,
} from "../../../src/sources/elb/snapshot.js";

export const DAY = 86_400;
export const NOW = 1_900_000_000;

let serial = 0;

export function x509(
  notBeforeDays: number,
  notAfterDays: number,
  fields: Partial<ParsedCertificate> & { chainPosition?: ChainPosition } = {},
): ParsedCertificate {
  serial += 1;
  const hex = serial.toString(16).padStart(4, "0").toUpperCase();
  return {
    chainPosition: "leaf",
    subject: `CN=host-${hex}.example.com`,
    issuer: "CN=Example CA",
    subjectCn: `host-${hex}.example.com`,
    issuerCn: "Example CA",
    serialNumber: hex,
    notBefore: NOW + notBeforeDays * DAY,
    notAfter: NOW + notAfterDays * DAY,
    fingerprintSha256: hex.toLowerCase().padStart(64, "0"),
    sans: "",
    keyAlgorithm: "EC-P-256",
    isCa: false,
    selfSigned: false,
    ...fields,
  };
}

export function elbCertificate(
  id: string,
  name: string,
  certificates: readonly ParsedCertificate[],
  expireTimeSeconds: number | null = certificates[0]?.notAfter ?? null,
): ElbCertificateState {
  return {
    id,
    name,
    type: "server",
    enterpriseProjectId: "0",
    expireTimeSeconds,
    certificates,
    origin: "",
    ccmCertificateId: null,
    problems: [],
  };
}

const status = {
  up: true,
  lastSuccessSeconds: NOW - 60,
  lastAttemptSeconds: NOW - 60,
  lastError: null,
} as const;

export function elbSource(
  certificates: readonly ElbCertificateState[],
  overrides: Partial<ElbSourceSnapshot> = {},
): ElbSourceSnapshot {
  return {
    source: "elb",
    region: "ap-southeast-1",
    projectId: "p1",
    ...status,
    certificates: new Map(certificates.map((certificate) => [certificate.id, certificate])),
    ...overrides,
  };
}

export function link(certificates: readonly ParsedCertificate[], up = true): CaLinkState {
  return {
    category: "international",
    up,
    statusCode: up ? 200 : 404,
    bytes: 1000,
    reason: up ? null : "http_status",
    certificates,
    problem: up
      ? null
      : { reason: "http_status", message: "CA download failed: answered HTTP 404" },
  };
}

export function instance(
  id: string,
  name: string,
  links: readonly CaLinkState[],
): GeminiDbInstanceState {
  return {
    id,
    name,
    datastoreType: "cassandra",
    ssl: "1",
    certOrigin: "download_link",
    links,
    enterpriseProjectId: "0",
    tags: null,
    tagsReadAtSeconds: null,
    ccmCertificateId: null,
  };
}

export function geminiDbSource(
  instances: readonly GeminiDbInstanceState[],
  overrides: Partial<GeminiDbSourceSnapshot> = {},
): GeminiDbSourceSnapshot {
  return {
    source: "geminidb",
    region: "ap-southeast-1",
    projectId: "p1",
    ...status,
    instances: new Map(instances.map((entry) => [entry.id, entry])),
    linkDurations: new Map(
      instances.flatMap((entry) =>
        entry.links.map((link) => [linkKey(entry.id, link.category), 0.05] as const),
      ),
    ),
    ...overrides,
  };
}

/** A CCM certificate valid from `notBeforeDays` to `notAfterDays` around NOW. */
export function ccmCertificate(
  id: string,
  name: string,
  notBeforeDays: number | null,
  notAfterDays: number | null,
  status: CcmStatus = "issued",
): CcmCertificateState {
  return {
    id,
    name,
    domain: `${name}.example.com`,
    sans: "",
    type: "DV",
    brand: "GeoTrust",
    signatureAlgorithm: "SHA256WITHRSA",
    apiStatus: status.toUpperCase(),
    status,
    enterpriseProjectId: "0",
    notBefore: notBeforeDays === null ? null : NOW + notBeforeDays * DAY,
    notAfter: notAfterDays === null ? null : NOW + notAfterDays * DAY,
    detailsFor: "list",
    problems: [],
  };
}

export function ccmSource(
  certificates: readonly CcmCertificateState[],
  overrides: Partial<CcmSourceSnapshot> = {},
): CcmSourceSnapshot {
  return {
    source: "ccm",
    region: "ap-southeast-1",
    projectId: "p1",
    ...status,
    certificates: new Map(certificates.map((certificate) => [certificate.id, certificate])),
    ...overrides,
  };
}

export function snapshot(...sources: SourceSnapshot[]): Snapshot {
  return {
    sources,
    completedPolls: 1,
    lastPoll: { startedAtSeconds: NOW - 61, finishedAtSeconds: NOW - 60 },
  };
}
