// The CloudApiError a promise rejects with; fails the test if it resolves or rejects otherwise.

import { expect } from "vitest";
import { CloudApiError } from "../../src/cloud/errors.js";

export async function cloudFailure(promise: Promise<unknown>): Promise<CloudApiError> {
  const error: unknown = await promise.then(
    () => new Error("resolved"),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CloudApiError);
  return error as CloudApiError;
}
