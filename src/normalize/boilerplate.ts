/**
 * Lines that scrapers carry over from news sites' page furniture. A block (paragraph, list item)
 * consisting only of one of these is removed from the body, and the removal is reported, so an
 * editor sees what went and can restore it.
 * Kept deliberately conservative: each pattern must match the whole block.
 */
const PATTERNS: readonly RegExp[] = [
  /^(jetzt )?lesen sie (jetzt )?auch( andere)?:?$/i,
  /^jetzt lesen auch andere$/i,
  /^(mehr zum thema|auch interessant|das könnte sie auch interessieren|weitere artikel|verwandte (videos|artikel|themen))\s*:?$/i,
  /^(related (videos|articles|stories)|read more|read also|see also|you may also like|more from)\s*:?$/i,
  /^(à lire aussi|lire aussi|voir aussi|sur le même sujet)\s*:?$/i,
  /^(archiviert unter|filed under|classé dans|tags?|schlagworte)\s*:\s*$/i,
  /^(anzeige|werbung|advertisement|sponsored|publicité)$/i,
  /^(foto|photo|bild|image|fotos|credit)\s*:\s*[^.!?]{0,120}(\/|©|getty|shutterstock|dpa|afp|reuters|imago|istock|ap photo).{0,80}$/i,
  /^©\s*[^.!?]{0,80}$/,
  /^(teilen|share|partager)( (auf|on|sur) \w+)?$/i,
  /^(newsletter( abonnieren)?|sign up for our newsletter|abonnez-vous à notre newsletter)$/i,
  /^(quellen gesamt|sources total)$/i,
  /^web:\s*\d+\s*social:\s*\d+\s*foren:\s*\d+$/i,
  /^(cookie(s| einstellungen| settings)?|akzeptieren|accept( all)?|alle akzeptieren)$/i,
  /^stellenangebote$/i,
];

export interface BoilerplateResult {
  body: string;
  /** The removed blocks, as they were written. */
  removed: string[];
}

/**
 * Input: "Text.\n\nJETZT LESEN AUCH ANDERE\n\nMore text."  Output: body "Text.\n\nMore text.", removed ["JETZT LESEN AUCH ANDERE"].
 * Works on blank-line-separated blocks; fenced code is never touched.
 */
export function stripBoilerplate(body: string): BoilerplateResult {
  const removed: string[] = [];
  const kept: string[] = [];
  let inFence = false;
  for (const block of body.split(/\n{2,}/)) {
    const fences = block.match(/^ {0,3}(```|~~~)/gm)?.length ?? 0;
    const touchesCode = inFence || fences > 0;
    if (fences % 2 === 1) inFence = !inFence;
    const text = block.trim();
    // Only short one-line blocks can be furniture; long paragraphs skip the pattern tests.
    if (!touchesCode && text.length <= 200 && !text.includes("\n") && PATTERNS.some((pattern) => pattern.test(text))) {
      removed.push(text);
      continue;
    }
    kept.push(block);
  }
  return removed.length === 0 ? { body, removed } : { body: kept.join("\n\n"), removed };
}
