// Collects the daemon's JSON log lines in memory (a pino destination), so tests can assert on
// them and search them for secrets.

export class LogCapture {
  readonly lines: string[] = [];

  write(chunk: string): void {
    for (const line of chunk.split("\n")) if (line !== "") this.lines.push(line);
  }

  get text(): string {
    return this.lines.join("\n");
  }

  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  withMessage(message: string): Record<string, unknown>[] {
    return this.entries().filter((entry) => entry["msg"] === message);
  }
}
