// Whether a Cloud Certificate Manager certificate is in use: the facts (the resources of any
// source that use it, the operator's mark) for the one severity model's rule
// (status/severity.ts decideUsage), which decides.

import { decideUsage, type Usage, type UsageContext } from "../../status/severity.js";
import type { CcmSourceSnapshot } from "./snapshot.js";

export function ccmUsage(
  _snapshot: CcmSourceSnapshot,
  certificateId: string,
  context: UsageContext,
): Usage {
  return decideUsage({
    visibleUses: context.ccmUsers.get(certificateId)?.length ?? 0,
    // Often downloaded and installed outside Huawei Cloud, where the exporter cannot look.
    mayBeUsedUnseen: true,
    markedStored: context.storedCertificates.has(certificateId),
  });
}
