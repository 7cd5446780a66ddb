// A wrapper for credential values. It renders as "[REDACTED]" through every path a value can
// leak by accident (JSON.stringify, util.inspect, template strings, pino), so a secret can only
// be read on purpose, through reveal(), and only the cloud client does that.

import { inspect } from "node:util";

const REDACTED = "[REDACTED]";

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The plain value. Call it only where the value goes on the wire. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
