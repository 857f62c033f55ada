import type { SectionConfig } from "./site-config.js";

/** The sections a general news site starts with; `sections:` in gazette.config.yml replaces them. */
export const DEFAULT_SECTIONS: SectionConfig[] = [
  section("politics", "Politik", "Politics", "Politique", ["Krieg", "War", "Guerre", "Ausland", "World", "International", "Monde", "Inland"]),
  section("business", "Wirtschaft", "Business", "Économie", ["Economy", "Finanzen", "Finance"]),
  section("sport", "Sport", "Sport", "Sport", ["Sports"]),
  section("culture", "Kultur", "Culture", "Culture", ["Feuilleton", "Arts"]),
  section("science", "Wissen", "Science", "Sciences", ["Wissenschaft"]),
  section("technology", "Digital", "Technology", "Numérique", ["Technik", "Tech", "Netzwelt"]),
  section("health", "Gesundheit", "Health", "Santé", []),
  section("environment", "Umwelt", "Environment", "Environnement", ["Klima", "Climate"]),
  section("society", "Panorama", "Society", "Société", ["Gesellschaft", "Vermischtes"]),
  section("travel", "Reise", "Travel", "Voyage", ["Reisen"]),
];

function section(id: string, de: string, en: string, fr: string, aliases: string[]): SectionConfig {
  return { id, names: { de, en, fr }, aliases };
}
