// Error bodies in the shapes Huawei Cloud sends: the API gateway's flat `error_code/error_msg`, the
// nested `{error:{code,message}}` some services use, ELB's flat body with request_id, IAM's
// Keystone body, OBS's XML and a gateway HTML page. Shapes only; no decisions about when.
import { htmlErrorPage, jsonReply, type Reply } from "./http-kit.js";

const APIGW_ERRORS: Readonly<Record<number, readonly [code: string, message: string]>> = {
  400: ["APIGW.0201", "Request is not valid"],
  401: ["APIGW.0301", "Incorrect IAM authentication information"],
  403: ["APIGW.0302", "The IAM or ACL authentication failed"],
  404: ["APIGW.0101", "The API does not exist or has not been published in the environment"],
  413: ["APIGW.0201", "Request entity too large"],
  429: ["APIGW.0308", "The throttling threshold has been reached"],
  500: ["APIGW.0103", "The backend does not exist"],
  502: ["APIGW.0202", "Backend unavailable"],
  503: ["APIGW.0203", "Backend unavailable"],
  504: ["APIGW.0204", "Backend timeout"],
};

export function apigwError(status: number, requestId: string, message?: string): Reply {
  const [code, defaultMessage] = APIGW_ERRORS[status] ?? ["APIGW.0000", "Gateway error"];
  return jsonReply(status, {
    error_code: code,
    error_msg: message ?? defaultMessage,
    request_id: requestId,
  });
}

/** 401 from the gateway in front of ELB, GeminiDB and IAM's project API. */
export function unauthorized(requestId: string, detail: string): Reply {
  return apigwError(401, requestId, `Incorrect IAM authentication information: ${detail}`);
}

export function elbError(status: number, code: string, message: string, requestId: string): Reply {
  return jsonReply(status, { error_msg: message, error_code: code, request_id: requestId });
}

export function nestedError(status: number, code: string, message: string): Reply {
  return jsonReply(status, { error: { code, message } });
}

export function obsError(status: number, code: string, message: string, requestId: string): Reply {
  const hostId = Buffer.from(requestId).toString("base64");
  return {
    status,
    headers: { "Content-Type": "application/xml", "x-obs-request-id": requestId },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code>` +
      `<Message>${message}</Message><RequestId>${requestId}</RequestId>` +
      `<HostId>${hostId}</HostId></Error>`,
  };
}

const OBS_CODES: Readonly<Record<number, string>> = {
  400: "InvalidArgument",
  403: "AccessDenied",
  404: "NoSuchKey",
  500: "InternalError",
  503: "ServiceUnavailable",
};

export function obsStatusError(status: number, requestId: string): Reply {
  return obsError(
    status,
    OBS_CODES[status] ?? "InternalError",
    `Simulated status ${status}`,
    requestId,
  );
}

/** The body for a `status` fault: a named shape, or the given text verbatim. */
export function faultBody(
  status: number,
  requestId: string,
  body: string | undefined,
  serviceDefault: "apigw" | "xml",
): Reply {
  switch (body ?? serviceDefault) {
    case "apigw":
      return apigwError(status, requestId);
    case "elb":
      return nestedError(status, "ELB.6101", "Simulated failure");
    case "html":
      return htmlErrorPage(status);
    case "xml":
      return obsStatusError(status, requestId);
    default:
      return {
        status,
        headers: { "Content-Type": "application/json;charset=UTF-8" },
        body: body ?? "",
      };
  }
}
