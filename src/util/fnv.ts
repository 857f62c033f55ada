/**
 * 32-bit FNV-1a: a fast, stable string hash for in-memory tables and placement (never for
 * anything that must resist collisions). Hot loops inline the two constants over code units.
 */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a of a string's UTF-16 code units, unsigned. */
export function fnv1a(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash >>> 0;
}
