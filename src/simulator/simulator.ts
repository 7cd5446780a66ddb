// startSimulator(): five real HTTP servers (ELB, GeminiDB, CCM, IAM, OBS) on their own ports over one
// shared in-memory account, plus the control surface tests use (state, tokens, faults, request
// log). It shares no code with src/cloud or src/certs, so the exporter cannot hide a bug in both.
import { randomBytes } from "node:crypto";
import {
  createAccessKeyStore,
  createAuthenticator,
  createTokenStore,
  generateToken,
} from "./auth.js";
import { createCcm, type CcmControl } from "./ccm.js";
import { generateUniquePrivateKeyPem } from "./certificates.js";
import { createElb, type ElbControl } from "./elb.js";
import { createFaultRegistry, type FaultControl, type ServiceName } from "./faults.js";
import { createGeminiDb, type GeminiDbControl } from "./geminidb.js";
import { startServiceServer, type RunningServer, type ServiceDefinition } from "./http-kit.js";
import { createIam, type IamControl, type IamCredentials } from "./iam.js";
import { createObs, OBS_SECRET_QUERY_KEYS, type ObsControl } from "./obs.js";
import { createProjectStore, randomHexId, type ProjectControl } from "./projects.js";
import { createRequestLog, queryForLog, type RequestLogEntry } from "./request-log.js";

export interface SimulatorOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** Fixed ports per service; default 0 (any free port). */
  readonly ports?: Partial<Readonly<Record<ServiceName, number>>>;
  /** ELB answers at most this many certificates per page whatever `limit` says. Default 50. */
  readonly elbPageSizeCap?: number;
  /** GeminiDB answers at most this many instances per page. Default 100. */
  readonly geminidbPageSizeCap?: number;
  /** A token valid for every project that never expires (until revoked). Default random. */
  readonly authToken?: string;
  /** The IAM password login. Default domain `sim-domain`, user `sim-user`, random password. */
  readonly iam?: IamCredentials;
  /** Default project id (32 hex). Default random. */
  readonly projectId?: string;
  /** Region, also the default project's name. Default `ap-southeast-1`. */
  readonly region?: string;
  /** AK/SK pairs accepted for SDK-HMAC-SHA256 signatures. */
  readonly accessKeys?: readonly { accessKey: string; secretKey: string; securityToken?: string }[];
  /** Clock for token expiry, link expiry, AK/SK date checks and timestamps. Default Date.now. */
  readonly now?: () => number;
  /** Request log entries kept (oldest half dropped beyond this). Default 100,000. */
  readonly requestLogLimit?: number;
}

export interface SimulatorEndpoints {
  readonly elb: string;
  readonly geminidb: string;
  readonly ccm: string;
  readonly iam: string;
  readonly obs: string;
}

export interface Simulator {
  /** Base URLs, e.g. `http://127.0.0.1:40123`, no trailing slash. */
  readonly endpoints: SimulatorEndpoints;
  readonly projectId: string;
  readonly region: string;
  readonly domainId: string;
  /** The static token (X-Auth-Token). */
  readonly authToken: string;
  readonly projects: ProjectControl;
  readonly elb: ElbControl;
  readonly geminidb: GeminiDbControl;
  /** Cloud Certificate Manager SSL certificates (account-wide). */
  readonly ccm: CcmControl;
  readonly iam: IamControl;
  readonly obs: ObsControl;
  readonly accessKeys: {
    add(credentials: { accessKey: string; secretKey: string; securityToken?: string }): void;
    remove(accessKey: string): void;
  };
  readonly faults: FaultControl;
  /** Every request so far, in arrival order; OBS credentials in queries are redacted. */
  readonly requests: readonly RequestLogEntry[];
  clearRequests(): void;
  /** Closes all five servers, dropping open and hanging connections at once. */
  close(): Promise<void>;
}

const NO_SECRETS: ReadonlySet<string> = new Set();

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? "127.0.0.1";
  const now = options.now ?? Date.now;
  const region = options.region ?? "ap-southeast-1";
  const projectId = options.projectId ?? randomHexId();
  const domainId = randomHexId();
  const authToken = options.authToken ?? generateToken();
  const credentials: IamCredentials = options.iam ?? {
    domain: "sim-domain",
    username: "sim-user",
    password: randomBytes(12).toString("base64url"),
  };
  const elbPageSizeCap = options.elbPageSizeCap ?? 50;
  const geminidbPageSizeCap = options.geminidbPageSizeCap ?? 100;
  if (!(Number.isInteger(elbPageSizeCap) && elbPageSizeCap >= 1)) {
    throw new RangeError(`elbPageSizeCap must be a positive integer, got ${elbPageSizeCap}`);
  }
  if (!(Number.isInteger(geminidbPageSizeCap) && geminidbPageSizeCap >= 1)) {
    throw new RangeError(
      `geminidbPageSizeCap must be a positive integer, got ${geminidbPageSizeCap}`,
    );
  }

  const projects = createProjectStore({ id: projectId, name: region });
  const tokens = createTokenStore(now);
  tokens.addStatic(authToken);
  const accessKeys = createAccessKeyStore();
  for (const pair of options.accessKeys ?? []) accessKeys.add(pair);
  const faults = createFaultRegistry();
  const log = createRequestLog(now, options.requestLogLimit ?? 100_000);
  const authenticate = createAuthenticator({ tokens, accessKeys, now });

  let obsBaseUrl = "";
  const obs = createObs({ baseUrl: () => obsBaseUrl, now });
  const elb = createElb({
    projects,
    defaultProjectId: projectId,
    now,
    pageSizeCap: elbPageSizeCap,
    echoedPrivateKeyPem: await generateUniquePrivateKeyPem(),
  });
  const geminidb = createGeminiDb({
    projects,
    defaultProjectId: projectId,
    region,
    now,
    pageSizeCap: geminidbPageSizeCap,
    obs: obs.control,
  });
  const ccm = createCcm({ domainId });
  const iam = createIam({
    credentials,
    domainId,
    userId: randomHexId(),
    tokens,
    projects,
    now,
  });

  const deps = {
    faults,
    log,
    authenticate,
    redactQuery: (service: ServiceName, query: URLSearchParams) =>
      queryForLog(query, service === "obs" ? OBS_SECRET_QUERY_KEYS : NO_SECRETS),
  };
  const definitions: Readonly<Record<ServiceName, ServiceDefinition>> = {
    elb: elb.definition,
    geminidb: geminidb.definition,
    ccm: ccm.definition,
    iam: iam.definition,
    obs: obs.definition,
  };
  const names = ["elb", "geminidb", "ccm", "iam", "obs"] as const;
  const started = await Promise.allSettled(
    names.map((name) =>
      startServiceServer(definitions[name], deps, host, options.ports?.[name] ?? 0),
    ),
  );
  const servers: RunningServer[] = [];
  const failures: unknown[] = [];
  for (const result of started) {
    if (result.status === "fulfilled") servers.push(result.value);
    else failures.push(result.reason);
  }
  if (failures.length > 0) {
    await Promise.all(servers.map((server) => server.close()));
    throw failures[0] instanceof Error ? failures[0] : new Error(String(failures[0]));
  }
  const [elbServer, geminidbServer, ccmServer, iamServer, obsServer] = servers as [
    RunningServer,
    RunningServer,
    RunningServer,
    RunningServer,
    RunningServer,
  ];
  obsBaseUrl = obsServer.baseUrl;

  let closed: Promise<void> | undefined;
  return {
    endpoints: {
      elb: elbServer.baseUrl,
      geminidb: geminidbServer.baseUrl,
      ccm: ccmServer.baseUrl,
      iam: iamServer.baseUrl,
      obs: obsServer.baseUrl,
    },
    projectId,
    region,
    domainId,
    authToken,
    projects,
    elb: elb.control,
    geminidb: geminidb.control,
    ccm: ccm.control,
    iam: iam.control,
    obs: obs.control,
    accessKeys: {
      add: (credentials) => {
        accessKeys.add(credentials);
      },
      remove: (accessKey) => {
        accessKeys.remove(accessKey);
      },
    },
    // Everything but take(): consuming faults is the request pipeline's business.
    faults: {
      add: (rule) => faults.add(rule),
      remove: (id) => {
        faults.remove(id);
      },
      clear: () => {
        faults.clear();
      },
      remaining: (id) => faults.remaining(id),
    },
    get requests() {
      return log.entries;
    },
    clearRequests: () => {
      log.clear();
    },
    close: () => {
      closed ??= Promise.all(servers.map((server) => server.close())).then(() => undefined);
      return closed;
    },
  };
}
