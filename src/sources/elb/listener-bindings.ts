// Which listeners use each ELB certificate, from one complete listing of the project's listeners.
// A listing that fails or skips an entry keeps the last good bindings (a partial listing would
// make a certificate in use look unused); it never fails certificate discovery.

import type { CloudApiError } from "../../cloud/errors.js";
import type { Logger } from "../../log/logger.js";
import { cloudFailure } from "../../poll/cloud-failure.js";
import { pickOwnerTags } from "../../poll/owner-tags.js";
import type { SourcePollDependencies } from "../../poll/poller.js";
import { keepUnchanged } from "../../poll/unchanged.js";
import type { ElbApiContext } from "./api.js";
import { listElbListenerPages, type ElbListener } from "./listeners.js";
import type { ElbSourceSnapshot, ListenerBinding } from "./snapshot.js";

type Bindings = ElbSourceSnapshot["listenerBindings"];

/**
 * Lists every listener of the project and indexes their certificate references; unchanged
 * bindings stay the previous objects (see poll/unchanged.ts).
 */
export async function pollListenerBindings(
  api: ElbApiContext,
  previous: Bindings,
  deps: Pick<SourcePollDependencies, "recordError" | "ownerTagKeys">,
  log: Logger,
  reportApiError: (error: CloudApiError) => void,
): Promise<Bindings> {
  let skipped = 0;
  const onShapeProblem = (problem: { operation: string; detail: string }): void => {
    skipped++;
    deps.recordError("api_shape");
    log.warn(problem, "ELB listener entry skipped");
  };
  const bindings = new Map<string, ListenerBinding[]>();
  try {
    for await (const page of listElbListenerPages(api, onShapeProblem)) {
      for (const listener of page) addBindings(bindings, listener, deps.ownerTagKeys);
    }
  } catch (caught) {
    const error = cloudFailure(caught, api.signal);
    reportApiError(error);
    log.warn({ reason: error.reason }, "ELB listener bindings kept from the last good poll");
    return previous;
  }
  if (skipped > 0) {
    log.warn({ skipped }, "ELB listener bindings kept from the last good poll");
    return previous;
  }
  return keepUnchanged(previous, bindings);
}

function addBindings(
  bindings: Map<string, ListenerBinding[]>,
  listener: ElbListener,
  ownerTagKeys: readonly string[],
): void {
  const base = {
    listenerId: listener.id,
    listenerName: listener.name,
    protocol: listener.protocol,
    port: listener.port,
    loadBalancerId: listener.loadBalancerIds.join(","),
    tags: pickOwnerTags(listener.tags, ownerTagKeys),
  };
  const add = (certificateId: string, role: ListenerBinding["role"]): void => {
    let list = bindings.get(certificateId);
    if (list === undefined) {
      list = [];
      bindings.set(certificateId, list);
    }
    list.push({ role, ...base });
  };
  if (listener.defaultCertificateId !== null) add(listener.defaultCertificateId, "default");
  // One listener counts once per role, even if it names a certificate twice.
  for (const id of new Set(listener.sniCertificateIds)) add(id, "sni");
  if (listener.clientCaCertificateId !== null) add(listener.clientCaCertificateId, "client_ca");
}
