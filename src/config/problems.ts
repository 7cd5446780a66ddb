// Collects configuration problems, each prefixed with the name of what is wrong.

export class Problems {
  readonly list: string[] = [];
  add(name: string, message: string): undefined {
    this.list.push(`${name}: ${message}`);
    return undefined;
  }
}
