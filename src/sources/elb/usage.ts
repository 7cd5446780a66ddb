// Whether an ELB certificate is in use: the facts (its listeners, the operator's mark) for the
// one severity model's rule (status/severity.ts decideUsage), which decides.

import { decideUsage, type Usage, type UsageContext } from "../../status/severity.js";
import type { ElbSourceSnapshot } from "./snapshot.js";

export function elbUsage(
  snapshot: ElbSourceSnapshot,
  certificateId: string,
  context: UsageContext,
): Usage {
  return decideUsage({
    // Unknown until a listener listing succeeded: not the same as on no listener.
    visibleUses:
      snapshot.listenerBindings === undefined
        ? null
        : (snapshot.listenerBindings.get(certificateId)?.length ?? 0),
    mayBeUsedUnseen: false,
    markedStored: context.storedCertificates.has(certificateId),
  });
}
