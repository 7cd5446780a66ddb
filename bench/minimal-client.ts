// The poll baseline of `npm run bench`: a minimal client issuing the same API requests as one
// steady-state poll of the daemon (ELB certificate and listener lists, the GeminiDB instance
// list, every instance's download-link call and every download), at the same concurrency, with
// no parsing beyond what paging needs. It runs in its own process, like the daemon, so neither
// shares a thread with the simulator: the difference between the two is the daemon's own work.
//
// Input: one JSON argument ({ elb, geminidb, projectId, token, concurrency, runs }).
// Output: one JSON line on stdout, the wall time of each run in seconds.
import pLimit from "p-limit";

interface MinimalClientInput {
  readonly elb: string;
  readonly geminidb: string;
  readonly projectId: string;
  readonly token: string;
  readonly concurrency: number;
  readonly runs: number;
}

const input = JSON.parse(process.argv[2] ?? "{}") as MinimalClientInput;
const headers = { "X-Auth-Token": input.token };

async function getJson(url: string): Promise<Record<string, unknown>> {
  return (await (await fetch(url, { headers })).json()) as Record<string, unknown>;
}

/** Every page of an ELB list (marker paging, as the daemon asks for it). */
async function elbList(collection: string, limit: number): Promise<void> {
  let marker: string | undefined;
  for (;;) {
    const url = new URL(`${input.elb}/v3/${input.projectId}/elb/${collection}`);
    url.searchParams.set("limit", String(limit));
    if (marker !== undefined) url.searchParams.set("marker", marker);
    const page = await getJson(url.href);
    const next = (page["page_info"] as { next_marker?: string } | undefined)?.next_marker;
    if (next === undefined || (page[collection] as unknown[]).length === 0) return;
    marker = next;
  }
}

async function geminidb(limit: ReturnType<typeof pLimit>): Promise<void> {
  const ids: string[] = [];
  for (let offset = 0; ;) {
    const page = await getJson(
      `${input.geminidb}/v3/${input.projectId}/instances?offset=${String(offset)}&limit=100`,
    );
    const instances = page["instances"] as { id: string }[];
    ids.push(...instances.map((instance) => instance.id));
    offset += instances.length;
    if (instances.length === 0 || offset >= Number(page["total_count"])) break;
  }
  await Promise.all(
    ids.map((id) =>
      limit(async () => {
        const links = await getJson(
          `${input.geminidb}/v3/${input.projectId}/instances/${id}/ssl-cert/download-link`,
        );
        for (const cert of links["certs"] as { download_link: string }[]) {
          await (await fetch(cert.download_link)).arrayBuffer();
        }
      }),
    ),
  );
}

async function poll(): Promise<number> {
  const started = performance.now();
  const limit = pLimit(input.concurrency);
  // The daemon polls its sources at once, and reads the listeners after the certificates.
  await Promise.all([
    elbList("certificates", 500).then(() => elbList("listeners", 2000)),
    geminidb(limit),
  ]);
  return (performance.now() - started) / 1000;
}

const seconds: number[] = [];
for (let run = 0; run < input.runs; run++) seconds.push(await poll());
process.stdout.write(`${JSON.stringify(seconds)}\n`);
