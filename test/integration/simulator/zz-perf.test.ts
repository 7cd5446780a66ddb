import { it } from "vitest";
import { generateChain, startSimulator } from "../../../src/simulator/index.js";
it("perf", async () => {
  const sim = await startSimulator();
  const nb = new Date("2026-01-01T00:00:00Z");
  let t = performance.now();
  const chains = [];
  for (let i = 0; i < 2000; i++)
    chains.push(
      await generateChain({
        commonName: `c${i}.example.com`,
        notBefore: nb,
        notAfter: new Date(nb.getTime() + ((i % 400) + 1) * 86400000),
      }),
    );
  console.log("gen 2k sequential ms each", (performance.now() - t) / 2000);
  t = performance.now();
  for (const c of chains) sim.elb.add({ name: c.leaf.commonName, certificate: c.certificatePem });
  console.log("add (parse) ms each", (performance.now() - t) / 2000);
  await sim.close();
}, 120_000);
