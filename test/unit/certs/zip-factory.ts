// Builds ZIP archives for tests with fflate, including hostile ones: a bomb streamed in 1 MiB
// chunks (so the test itself never holds 50 MB) and archives whose headers are patched to lie.
import { Zip, ZipDeflate, zipSync, type ZipOptions, type Zippable } from "fflate";
import { concat } from "./cert-factory.js";

export function makeZip(
  files: Readonly<Record<string, Uint8Array | string>>,
  options: ZipOptions = {},
): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, content] of Object.entries(files)) {
    zippable[name] = typeof content === "string" ? new TextEncoder().encode(content) : content;
  }
  return zipSync(zippable, options);
}

/** One entry of `megabytes` MiB of zeros, deflated while streaming (a few KiB of output). */
export function makeZipBomb(megabytes: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, data) => {
    if (error) throw error;
    chunks.push(data);
  });
  const entry = new ZipDeflate("bomb.pem", { level: 9 });
  zip.add(entry);
  const zeros = new Uint8Array(1024 * 1024);
  for (let i = 1; i <= megabytes; i += 1) entry.push(zeros, i === megabytes);
  zip.end();
  return concat(chunks);
}

export interface CentralDirectoryPatch {
  readonly flags?: number;
  readonly method?: number;
  readonly size?: number;
}

/** Rewrites fields of the `index`-th (0-based) central directory record in a copy of `zip`. */
export function patchCentralDirectory(
  zip: Uint8Array,
  index: number,
  patch: CentralDirectoryPatch,
): Uint8Array {
  const out = Uint8Array.from(zip);
  const view = new DataView(out.buffer);
  let end = out.length - 22;
  while (view.getUint32(end, true) !== 0x06054b50) end -= 1;
  let offset = view.getUint32(end + 16, true);
  for (let i = 0; i < index; i += 1) {
    offset +=
      46 +
      view.getUint16(offset + 28, true) +
      view.getUint16(offset + 30, true) +
      view.getUint16(offset + 32, true);
  }
  if (patch.flags !== undefined) view.setUint16(offset + 8, patch.flags, true);
  if (patch.method !== undefined) view.setUint16(offset + 10, patch.method, true);
  if (patch.size !== undefined) view.setUint32(offset + 24, patch.size, true);
  return out;
}
