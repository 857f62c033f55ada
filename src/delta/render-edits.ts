/**
 * A delta build's pages (see apply-delta.ts): each edited article's page, and its language's
 * feeds where it is in them, rendered by the build's own renderer from a render context that holds
 * only what those pages show: the articles from their records, the feeds' other articles from the
 * snapshot's cards, the groups' slugs and names from the snapshot.
 */
import type { Article, RelatedEntry, RenderedPage, Route } from "../types.js";
import { themeContext, type PreparedTheme } from "../build.js";
import type { SiteConfig } from "../config/site-config.js";
import type { RecordCache } from "../cache/record-cache.js";
import { articleFromCard, checkedAs, type SiteSnapshot } from "../cache/site-snapshot.js";
import type { Group, ListingEntry, SiteIndex, Story } from "../i18n/site-index.js";
import { createPageRenderer } from "../render/render-pages.js";
import { linkedGroupsOf } from "../render/route-signatures.js";
import { groupKey, type RenderContext } from "../render/view-context.js";
import type { AppliedEdit } from "./read-edits.js";

/**
 * The edited articles' pages, the pages whose related list changed (`relisted`: the new lists,
 * by page number) or did in an earlier delta (`again`), and the edited articles' languages' feeds
 * where they are in them: the articles the pages show come from their records (`records`), feed
 * articles from the snapshot's cards.
 */
export function renderEdits(
  edits: readonly AppliedEdit[],
  relisted: { lists: ReadonlyMap<number, readonly number[]>; again: readonly number[] },
  snapshot: SiteSnapshot,
  records: RecordCache,
  config: SiteConfig,
  theme: PreparedTheme,
  date: string,
): RenderedPage[] {
  const { feeds } = snapshot.head;
  const edited = new Map(edits.flatMap((edit) => (edit.page ? [[edit.page.number, edit.article] as const] : [])));
  const articles = new Map<string, Article>();
  /** An article another page shows, as that page saw it. */
  const articleOf = (number: number): Article => {
    const inputs = snapshot.page(number);
    let article = edited.get(number) ?? articles.get(inputs.id);
    if (!article) {
      const record = records.get(inputs.file);
      if (!record) throw new Error(`Internal: no record of ${inputs.file}`);
      article = checkedAs(record.article, inputs);
    }
    articles.set(inputs.id, article);
    return article;
  };
  const stories = new Map<string, Story>();
  const related = new Map<string, RelatedEntry[]>();
  const groupsById = new Map<string, Group>();
  const routes: Route[] = [];
  const numbers = new Set([...edits.flatMap(({ page }) => (page ? [page.number] : [])), ...relisted.lists.keys(), ...relisted.again]);
  for (const number of [...numbers].sort((a, b) => a - b)) {
    const inputs = snapshot.page(number);
    const article = articleOf(number);
    routes.push({ url: article.url, outputPath: inputs.outputPath, params: { kind: "article", id: article.id } });
    const versions = inputs.versions.map(articleOf);
    stories.set(article.storyKey, { key: article.storyKey, versions: new Map(versions.map((version) => [version.lang, version])), original: articleOf(inputs.original) });
    related.set(article.id, (relisted.lists.get(number) ?? inputs.related).map((each) => ({ id: articleOf(each).id, score: 0, reasons: [] })));
    linkedGroupsOf(article).forEach(([kind, id], i) => {
      const group = snapshot.head.groups[inputs.groups[i]!];
      if (group) groupsById.set(groupKey(article.lang, kind, id), { kind, id, ids: [id], slug: group[0], name: group[1], entries: [] });
    });
  }
  const listings = new Map<string, ListingEntry[]>();
  const feedBodies = new Map<string, Uint8Array>();
  const utf8 = new TextEncoder();
  for (const feed of feeds) {
    if (!feed.members.some(([number]) => edited.has(number))) continue;
    // Feed articles not edited are cards: the feeds read no more of them (see render-pages.ts).
    const members = feed.members.map(([number, , card, tags, html]) => {
      const article = edited.get(number) ?? articleFromCard(snapshot.page(number).id, card, tags);
      if (!edited.has(number)) feedBodies.set(article.file, utf8.encode(html));
      return { article, fallback: false };
    });
    listings.set(feed.lang, members);
    routes.unshift(...feed.routes); // feeds take their bodies before article pages (see render-pages.ts)
  }
  const index: SiteIndex = { articles, stories, listings, groups: new Map(), skipped: [] };
  const context: RenderContext = {
    ...themeContext(config, theme),
    index,
    related,
    groupsById,
    groupsBySlug: new Map(),
    year: snapshot.head.year,
  };
  const renderer = createPageRenderer(context, theme.templates, new Map(theme.assets.map((asset) => [asset.name, asset])), date, { bodies: feedBodies });
  return routes.flatMap((route) => renderer.render(route));
}

