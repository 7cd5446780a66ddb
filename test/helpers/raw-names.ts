// Distinguished names encoded by hand, for certificates whose names must hold any text verbatim:
// @peculiar/x509's string and JSON name forms read quotes and backslashes as escapes.

import { Name } from "@peculiar/x509";
import { concat, encodeTlv } from "../fixtures/cert-factory.js";

const COMMON_NAME_OID = Uint8Array.of(0x55, 0x04, 0x03);

/** A Name of common names as UTF8String; each inner list is one RDN, in order. */
export function commonNames(rdns: readonly (readonly string[])[]): Name {
  const attribute = (value: string): Uint8Array =>
    encodeTlv(
      0x30,
      concat([encodeTlv(0x06, COMMON_NAME_OID), encodeTlv(0x0c, new TextEncoder().encode(value))]),
    );
  const rdnSequence = rdns.map((rdn) => encodeTlv(0x31, concat(rdn.map(attribute))));
  return new Name(encodeTlv(0x30, concat(rdnSequence)));
}
