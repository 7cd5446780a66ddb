// What a poll makes of a call that threw: a CloudApiError is a cloud failure, data for the poll to
// count, log and keep its last good state with. Anything else is not: an abort (shutdown) ends the
// poll, and any other error is a programming mistake that must surface, so both are rethrown.

import { CloudApiError } from "../cloud/errors.js";

/**
 * The cloud failure `error` is; rethrows when the poll was aborted (the signal's reason) or when
 * `error` is not a CloudApiError.
 */
export function cloudFailure(error: unknown, signal: AbortSignal | undefined): CloudApiError {
  signal?.throwIfAborted();
  if (error instanceof CloudApiError) return error;
  throw error;
}
