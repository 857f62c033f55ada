/** Words that stay lowercase inside a place name ("Frankfurt am Main", "Saint-Martin-de-Ré"). */
const PARTICLES = new Set(["am", "an", "der", "dem", "den", "im", "in", "bei", "ob", "upon", "on", "of", "the", "de", "du", "des", "la", "le", "les", "sur", "en", "del", "di", "da", "y"]);

/**
 * Datelines arrive in capitals ("MÜNCHEN", "FRANKFURT AM MAIN", "WASHINGTON, D.C.") -> proper case.
 * Mixed-case input is assumed deliberate and kept. Abbreviations with dots ("D.C.") keep capitals.
 */
export function properCaseDateline(text: string): string {
  const trimmed = text.trim().replace(/[\s–—-]+$/, "");
  if (trimmed !== trimmed.toUpperCase() || !/\p{Lu}/u.test(trimmed)) return trimmed;
  let index = 0;
  return trimmed.replace(/[\p{L}\p{M}.]+/gu, (word) => {
    const first = index++ === 0;
    if ((word.match(/\./g)?.length ?? 0) >= 2) return word;
    const lower = word.toLocaleLowerCase();
    if (!first && PARTICLES.has(lower)) return lower;
    return lower.charAt(0).toLocaleUpperCase() + lower.slice(1);
  });
}
