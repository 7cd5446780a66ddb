// Response shape checking shared by the API modules: zod issues turned into a short, safe
// description (paths and expectations, never the values received), and the `api_shape`
// CloudApiError every module raises for an answer that is off-contract.

import type { z } from "zod";
import { CloudApiError, type CloudService } from "./errors.js";

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
    .join("; ");
}

export function shapeError(
  service: CloudService,
  operation: string,
  detail: string,
  requestId: string | null,
  status = 200,
): CloudApiError {
  return new CloudApiError({
    service,
    operation,
    status,
    reason: "api_shape",
    errorCode: null,
    requestId,
    detail,
  });
}
