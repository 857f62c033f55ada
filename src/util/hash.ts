import { createHash } from "node:crypto";

/** Short, stable content hash (hex) for cache keys and asset fingerprints. */
export function hashText(text: string | Uint8Array, length = 16): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}
