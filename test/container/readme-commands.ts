// The shell commands of the README's "Docker" section, and the few substitutions that let this
// machine run them side by side with other work: podman for docker, a free host port for 10057,
// the test's own container name, env file and secrets directory, and 127.0.0.2 (an address of the
// machine's own, like a pod IP) for the host-network listen address. Nothing else changes.

import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Every command of the section's ```sh blocks: continuation lines joined, comments dropped. */
export function readDockerCommands(root: string): string[] {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const start = readme.indexOf("\n## Docker\n");
  if (start === -1) throw new Error('README.md has no "## Docker" section');
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const commands: string[] = [];
  for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const joined = (block[1] ?? "").replace(/\\\n\s*/g, "");
    for (const line of joined.split("\n")) {
      // A comment starts at " # " outside the command (the section's commands quote no "#").
      const command = line.replace(/\s+#\s.*$/, "").trim();
      if (command !== "" && !command.startsWith("#")) commands.push(command);
    }
  }
  return commands;
}

export interface Substitutions {
  /** Container name used instead of the README's `hwcert`. */
  readonly name: string;
  /** Host port used instead of 10057. */
  readonly port: number;
  readonly envFile: string;
  readonly secretsDirectory: string;
}

/** The README command as this test runs it. */
export function forThisMachine(command: string, s: Substitutions): string {
  const port = String(s.port);
  return (
    command
      .replace(/\bhwcert\b/g, s.name)
      .replace(/^docker /, "podman ")
      // A foreground command (the demo) runs detached, under a name the test can stop.
      .replace(/^podman run --rm /, `podman run -d --name ${s.name} --rm `)
      .replaceAll("127.0.0.1:10057:10057", `127.0.0.1:${port}:10057`)
      .replaceAll(
        "HWCERT_LISTEN_ADDRESS=127.0.0.1:10057",
        `HWCERT_LISTEN_ADDRESS=127.0.0.2:${port}`,
      )
      .replaceAll("--env-file .env", `--env-file ${s.envFile}`)
      .replaceAll('"$PWD/secrets:', `"${s.secretsDirectory}:`)
  );
}
