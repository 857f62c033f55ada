import { describe, expect, it } from "vitest";
import { buildSiteIndex, compareNewest, articleTopics, foldName, type GroupKind } from "../../../src/i18n/site-index.js";
import { seededRandom } from "../../helpers/random.js";
import { article, loadFiles } from "../../helpers/temp-site.js";

const CONFIG = "languages:\n  de: { title: Nachrichten }\n  en: { title: News }\nlistUntranslated: true\n";

/** Stories in German, some translated into English, authors and tags shared at random, dates interleaved. */
function randomSite(seed: number, stories: number): Record<string, string> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const authors = ["Anna Müller", "Ben Schulz", "Çelik Demir"];
  const tags = ["Berlin", "Börse", "Klima", "Wahl"];
  const files: Record<string, string> = { "gazette.config.yml": CONFIG };
  for (let i = 0; i < stories; i++) {
    const day = String(1 + Math.floor(random() * 28)).padStart(2, "0");
    const hour = String(Math.floor(random() * 24)).padStart(2, "0");
    const fields = { author: pick(authors), tags: `[${pick(tags)}, ${pick(tags)}]`, date: `2025-03-${day}T${hour}:00:00+01:00` };
    files[`articles/story-${i}/de.md`] = article({ title: `Meldung ${i} aus Berlin`, lang: "de", ...fields });
    if (random() < 0.5) {
      // Translations are often dated later than their original: listings then interleave natives and fallbacks.
      const later = `2025-03-${day}T${hour}:30:00+01:00`;
      files[`articles/story-${i}/en.md`] = article({ title: `Report ${i} from Berlin`, lang: "en", translatedFrom: "de", ...fields, date: later }, "A short text about the talks in Berlin, long enough to count as one.");
    }
  }
  return files;
}

describe("buildSiteIndex groups", () => {
  it("lists every group's entries newest first, natives and fallbacks interleaved, each entry once", async () => {
    for (const seed of [1, 2, 3]) {
      const site = await loadFiles(randomSite(seed, 40));
      expect(site.errors).toEqual([]);
      const index = buildSiteIndex(site.articles, site.config, { drafts: false, buildDate: "2026-01-01T00:00:00Z" });
      let fallbacksInGroups = 0;
      for (const [lang, byKind] of index.groups) {
        const listing = index.listings.get(lang)!;
        for (const kind of ["topic", "author", "source"] as GroupKind[]) {
          for (const group of byKind[kind]) {
            expect(new Set(group.entries).size, `${lang} ${kind} ${group.id}`).toBe(group.entries.length);
            for (let i = 1; i < group.entries.length; i++) expect(compareNewest(group.entries[i - 1]!.article, group.entries[i]!.article)).toBeLessThan(0);
            fallbacksInGroups += group.entries.filter((entry) => entry.fallback).length;
          }
        }
        // Every listing entry is in each group of its labels (fallbacks only in topic groups that exist natively).
        for (const entry of listing) {
          const labels: [GroupKind, string][] = [
            ...entry.article.authors.map((name): [GroupKind, string] => ["author", foldName(name)]),
            ...articleTopics(entry.article).map((topic): [GroupKind, string] => ["topic", topic.id]),
          ];
          for (const [kind, id] of labels) {
            const group = byKind[kind].find((candidate) => candidate.ids.includes(id));
            if (kind === "topic" && entry.fallback && !group) {
              expect(listing.some((other) => !other.fallback && articleTopics(other.article).some((topic) => topic.id === id))).toBe(false);
              continue;
            }
            expect(group?.entries, `${lang} ${kind} ${id}`).toContain(entry);
          }
        }
      }
      expect(fallbacksInGroups).toBeGreaterThan(0);
    }
  });

  it("names a topic page in its own language, and gives a fallback no topic page of its own", async () => {
    const site = await loadFiles({
      "gazette.config.yml": CONFIG,
      "articles/a/de.md": article({ title: "Wahl in Berlin", lang: "de", tags: "[Wahlkampf]", date: "2025-03-02" }),
      "articles/a/en.md": article({ title: "Election in Berlin", lang: "en", translatedFrom: "de", tags: "[Election campaign]", date: "2025-03-02" }, "A short text about the talks in Berlin, long enough to count."),
      "articles/b/de.md": article({ title: "Börse in Frankfurt", lang: "de", tags: "[Börse]", date: "2025-03-03" }),
    });
    const index = buildSiteIndex(site.articles, site.config, { drafts: false, buildDate: "2026-01-01T00:00:00Z" });
    const english = index.groups.get("en")!.topic.map((group) => group.name);
    expect(english).toContain("Election campaign");
    expect(english).not.toContain("Börse");
    expect(index.listings.get("en")!.map((entry) => [entry.article.storyKey, entry.fallback])).toEqual([["b", true], ["a", false]]);
  });
});
