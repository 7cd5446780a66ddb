// One authenticated GET whose JSON answer must match a zod schema: the typed data and the
// request id, or the `api_shape` CloudApiError naming the off-contract fields. Checks that go
// beyond the shape (the answer is for the id asked, paging ends) stay with the caller.

import type { z } from "zod";
import type { CloudClient, JsonRequest } from "./http/client.js";
import { describeIssues, shapeError } from "./shape.js";

export interface CheckedJson<Data> {
  readonly data: Data;
  /** The answer's request id, for errors the caller raises about the data. */
  readonly requestId: string | null;
}

/** Sends `request` as a GET and checks its body against `schema`; throws CloudApiError. */
export async function readJson<Data>(
  client: CloudClient,
  request: JsonRequest,
  schema: z.ZodType<Data>,
): Promise<CheckedJson<Data>> {
  const response = await client.getJson(request);
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) {
    const { service, operation } = request;
    throw shapeError(service, operation, describeIssues(parsed.error), response.requestId);
  }
  return { data: parsed.data, requestId: response.requestId };
}
