// Tiny fetch helpers for the simulator's own tests: an authenticated GET and a JSON read that
// keeps status and headers, so each test states exactly what it expects on the wire.

export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export async function getJson(url: string, token?: string): Promise<JsonResponse> {
  const response = await fetch(url, {
    headers: token === undefined ? {} : { "X-Auth-Token": token },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

/** Narrow an unknown JSON value for assertions without a schema library. */
export function asRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`expected a JSON object, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

export function asArray(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Error(`expected a JSON array, got ${JSON.stringify(value)}`);
  return value;
}
