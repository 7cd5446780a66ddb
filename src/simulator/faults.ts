// Fault injection: a list of rules (service + optional method/path/operation match, a budget of
// `times`) and the actions the HTTP pipeline and the ELB and GeminiDB pagers carry out. First
// matching rule with budget left wins, one fault per request. It does not perform the actions.
import { randomUUID } from "node:crypto";

export type ServiceName = "elb" | "geminidb" | "ccm" | "iam" | "obs";

export type Operation =
  | "elb.listCertificates"
  | "elb.showCertificate"
  | "elb.listListeners"
  | "geminidb.listInstances"
  | "geminidb.showDownloadLink"
  | "geminidb.listInstanceTags"
  | "ccm.listCertificates"
  | "ccm.showCertificate"
  | "iam.createToken"
  | "iam.listProjects"
  | "iam.listDomains"
  | "eps.listEnterpriseProjects"
  | "obs.getObject"
  | "obs.redirect"
  | "unknown";

export type FaultAction =
  /**
   * Answer this status at once. body: a named shape ("apigw", "elb", "html", "xml"), or any other
   * string sent verbatim (as JSON unless contentType says otherwise). Default: the service's shape.
   */
  | {
      readonly kind: "status";
      readonly status: number;
      readonly body?: string;
      readonly contentType?: string;
      readonly retryAfter?: string;
    }
  /** Wait, then answer normally. */
  | { readonly kind: "delay"; readonly ms: number }
  /** Destroy the socket with an RST before any byte of the response. */
  | { readonly kind: "reset" }
  /** Never answer (until the simulator closes). */
  | { readonly kind: "hang" }
  /** Send half of the normal body: "end" = well-framed but cut JSON, "destroy" = connection drop. */
  | { readonly kind: "truncate"; readonly mode?: "end" | "destroy" }
  /** Answer 200 (or `status`) with this JSON instead of the real body (wrong shape). */
  | { readonly kind: "json"; readonly body: unknown; readonly status?: number }
  /** Send the normal body at this rate. */
  | { readonly kind: "slow-body"; readonly bytesPerSecond: number }
  /**
   * ELB list: next_marker repeats the request's marker, so a follower loops on one page.
   * GeminiDB and CCM lists: every offset answers the first page, with a total_count that
   * promises more.
   */
  | { readonly kind: "pagination-loop" }
  /**
   * ELB list: every page gets a fresh next_marker; GeminiDB and CCM lists: total_count lies beyond
   * the page. The pages cycle through the data forever, so records repeat; with `fresh`, every
   * record is re-issued under a new, never-seen id, so only a client's own bound stops it.
   */
  | { readonly kind: "pagination-endless"; readonly fresh?: boolean }
  /**
   * Answer 200 with a body far larger than any real answer: `bytes` of filler after a JSON-like
   * start, streamed and never held in memory. `gzip` sends it compressed (a body of about
   * 1 KB per MiB, with Content-Encoding: gzip), a bomb for clients that inflate. `declareLength`
   * false: chunked, so a client cannot refuse it up front. A client must stop reading.
   */
  | {
      readonly kind: "flood";
      readonly bytes: number;
      readonly gzip?: boolean;
      readonly declareLength?: boolean;
    };

export type FaultKind = FaultAction["kind"];

export interface FaultMatch {
  readonly method?: string;
  readonly pathIncludes?: string;
  readonly operation?: Operation;
}

export interface FaultRule {
  readonly service: ServiceName;
  readonly match?: FaultMatch;
  /** How many matching requests this rule affects; default Infinity. */
  readonly times?: number;
  readonly action: FaultAction;
}

export interface FaultControl {
  /** Adds a rule; returns its id. */
  add(rule: FaultRule): string;
  remove(id: string): void;
  clear(): void;
  /** How many more requests each rule will still affect, for assertions. */
  remaining(id: string): number;
}

export interface FaultRegistry extends FaultControl {
  /** Picks and consumes the fault for one request, if any. */
  take(request: {
    service: ServiceName;
    method: string;
    path: string;
    operation: Operation;
  }): FaultAction | undefined;
}

interface ActiveRule {
  readonly id: string;
  readonly rule: FaultRule;
  left: number;
}

export function createFaultRegistry(): FaultRegistry {
  const rules: ActiveRule[] = [];
  return {
    add(rule) {
      const times = rule.times ?? Number.POSITIVE_INFINITY;
      if (!(times > 0)) throw new RangeError(`fault times must be > 0, got ${times}`);
      const id = randomUUID();
      rules.push({ id, rule, left: times });
      return id;
    },
    remove(id) {
      const index = rules.findIndex((active) => active.id === id);
      if (index !== -1) rules.splice(index, 1);
    },
    clear() {
      rules.length = 0;
    },
    remaining(id) {
      return rules.find((active) => active.id === id)?.left ?? 0;
    },
    take(request) {
      if (rules.length === 0) return undefined;
      for (let i = 0; i < rules.length; i++) {
        const active = rules[i];
        if (active === undefined || !matches(active.rule, request)) continue;
        active.left -= 1;
        if (active.left <= 0) rules.splice(i, 1);
        return active.rule.action;
      }
      return undefined;
    },
  };
}

function matches(
  rule: FaultRule,
  request: { service: ServiceName; method: string; path: string; operation: Operation },
): boolean {
  if (rule.service !== request.service) return false;
  const match = rule.match;
  if (match === undefined) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== request.method) return false;
  if (match.pathIncludes !== undefined && !request.path.includes(match.pathIncludes)) return false;
  if (match.operation !== undefined && match.operation !== request.operation) return false;
  return true;
}
