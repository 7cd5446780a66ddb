// Collects configuration problems, each prefixed with the name of what is wrong, and warnings:
// settings that are accepted but probably not what the operator meant (an unknown region).

export class Problems {
  readonly list: string[] = [];
  readonly warnings: string[] = [];
  add(name: string, message: string): undefined {
    this.list.push(`${name}: ${message}`);
    return undefined;
  }
  warn(name: string, message: string): void {
    this.warnings.push(`${name}: ${message}`);
  }
}
