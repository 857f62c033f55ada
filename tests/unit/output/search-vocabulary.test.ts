import { describe, expect, test } from "vitest";
import { indexedInput, indexedWords, languageWords, sameWords, vocabularyRecords, withArticleFilter, wordsForState } from "../../../src/output/search-vocabulary.js";

const page = (body: string, before = "<header><nav>Startseite Ressorts</nav></header>") =>
  `<!doctype html><html lang="de"><head><title>Titel im Kopf</title><script>var geheim = 1;</script></head><body>${before}<main><article class="article" data-pagefind-body>${body}</article><aside class="related"><h2>Verwandte Artikel</h2></aside></main><footer>Impressum</footer></body></html>`;

const words = (html: string) => [...indexedWords(html)].sort();

describe("the words Pagefind indexes in a page", () => {
  test("the data-pagefind-body element only: not the head, the navigation, the related list or the footer after it", () => {
    expect(words(page("<h1>Gipfel in Alaska</h1><p>Trump traf Putin.</p>"))).toEqual(["alaska", "gipfel", "in", "putin", "traf", "trump"]);
  });

  test("an element of the same kind nested inside the body element does not end it early", () => {
    expect(words(page("<p>Vorher</p><article><p>Zitat</p></article><p>Nachher</p>"))).toEqual(["nachher", "vorher", "zitat"]);
  });

  test("inline tags join the text on both sides, block tags and <br> separate it (as Pagefind reads them)", () => {
    expect(words(page("<p><em>Bundes</em>regierung</p><p>Ende</p><p>Anfang<br>Zeile</p>"))).toEqual(["anfang", "bundesregierung", "ende", "zeile"]);
    // Two paragraphs without whitespace between them are still two words.
    expect(words(page("<p>eins</p><p>zwei</p>"))).toEqual(["eins", "zwei"]);
  });

  test("elements Pagefind leaves out inside the body (footer, nav, script, form, comments) are left out", () => {
    expect(words(page("<p>Text</p><footer><nav><a href='/t/'>Schlagwort</a></nav></footer><script>var x;</script><form><label>Suche</label></form><!-- Kommentar -->"))).toEqual(["text"]);
  });

  test("lowercased, character references decoded, punctuation at a word's ends dropped, inside kept", () => {
    expect(words(page("<p>„Waffenruhe“, sagte (Selenskyj) &amp; Co. &#8211; der Ukraine-Krieg! 3,5&nbsp;%</p>"))).toEqual(["3,5", "co", "der", "sagte", "selenskyj", "ukraine-krieg", "waffenruhe"]);
    expect(words(page("<p>Straße ÄRZTE Ökonomie</p>"))).toEqual(["straße", "ärzte", "ökonomie"]);
  });

  test("attributes the theme has Pagefind index (data-pagefind-index-attrs), and no others", () => {
    expect(words(page('<p>Text</p><img src="a.jpg" alt="Luftbild Anchorage" title="Ein Titel" data-pagefind-index-attrs="alt, title"><img alt="Ungelesen"><span data-pagefind-index-attrs=", ,(" =\"x\">Ohne</span>'))).toEqual(["anchorage", "ein", "luftbild", "ohne", "text", "titel"]);
  });

  test("a page without data-pagefind-body: its body", () => {
    const html = "<html lang=\"en\"><head><title>Head</title></head><body><p>Plain words here</p></body></html>";
    expect(words(html)).toEqual(["here", "plain", "words"]);
  });

  test("words accumulate into a given set", () => {
    const into = new Set(["alt"]);
    indexedWords(page("<p>neu</p>"), into);
    expect([...into].sort()).toEqual(["alt", "neu"]);
  });
});

describe("a language's vocabulary records", () => {
  test("the words of every slice, per language code, in code unit order, one space apart", () => {
    const records = vocabularyRecords(
      languageWords([
        new Map([["de", new Set(["zug", "apfel"])]]),
        new Map([
          ["de", ["bahn", "apfel"]],
          ["de-at", ["jänner"]],
        ]),
      ]),
    );
    expect([...records]).toEqual([
      ["de", "apfel bahn zug"],
      ["de-at", "jänner"],
    ]);
  });

  test("the same words in any order and any slicing are the same language's words, with the same records; a word more or less is not", () => {
    const a = languageWords([new Map([["de", ["b", "a"]]]), new Map([["de", ["c"]]])]);
    const b = languageWords([new Map([["de", ["c", "a", "b", "a"]]])]);
    expect(sameWords(a, b)).toBe(true);
    expect(vocabularyRecords(a)).toEqual(vocabularyRecords(b));
    expect(sameWords(a, languageWords([new Map([["de", ["a", "b"]]])]))).toBe(false);
    expect(sameWords(a, languageWords([new Map([["de", ["a", "b", "c", "d"]]])]))).toBe(false);
    expect(sameWords(a, languageWords([new Map([["de", ["a", "b", "d"]]])]))).toBe(false);
    expect(sameWords(a, languageWords([new Map([["de", ["a", "b", "c"]]]), new Map([["de-at", ["a"]]])]))).toBe(false);
  });

  test("the state keeps each code's words sorted", () => {
    expect(wordsForState(new Map([["fr", new Set(["été", "avant", "zèle"])], ["de", new Set(["b", "a"])]]))).toEqual({ de: ["a", "b"], fr: ["avant", "zèle", "été"] });
    expect(wordsForState(undefined)).toEqual({});
  });
});

describe("the article filter given to Pagefind", () => {
  test("an empty element with the filter, first inside the data-pagefind-body element", () => {
    const html = page("<p>Text</p>");
    const filtered = withArticleFilter(html);
    expect(filtered).toContain('<article class="article" data-pagefind-body><span data-pagefind-filter="gazette:article"></span><p>Text</p>');
    expect(filtered.replace('<span data-pagefind-filter="gazette:article"></span>', "")).toBe(html);
    // It adds no word.
    expect(words(filtered)).toEqual(words(html));
  });

  test("without data-pagefind-body: first inside the body; without a body: at the start", () => {
    expect(withArticleFilter('<html><body class="x"><p>T</p></body></html>')).toBe('<html><body class="x"><span data-pagefind-filter="gazette:article"></span><p>T</p></body></html>');
    expect(withArticleFilter("<p>T</p>")).toBe('<span data-pagefind-filter="gazette:article"></span><p>T</p>');
  });
});

describe("what Pagefind reads of a page (whether its part of the index can change)", () => {
  const page = (options: { lang?: string; title?: string; body?: string; aside?: string; head?: string } = {}) =>
    `<!doctype html><html lang="${options.lang ?? "de"}"><head><title>${options.title ?? "T"}</title>${options.head ?? ""}</head><body><nav>Menu</nav><article data-pagefind-body><h1>Titel</h1><p>${options.body ?? "Text"}</p></article><aside>${options.aside ?? "Related"}</aside></body></html>`;

  test("the same when only the page around the indexed element changed (related list, navigation, head)", () => {
    expect(indexedInput(page({ aside: "Other related articles" }))).toBe(indexedInput(page()));
    expect(indexedInput(page({ head: '<link rel="alternate" href="/en/">' }))).toBe(indexedInput(page()));
  });

  test("another when the indexed element, the language or the title changed", () => {
    for (const other of [page({ body: "Neuer Text" }), page({ lang: "de-AT" }), page({ title: "Anders" })]) expect(indexedInput(other)).not.toBe(indexedInput(page()));
  });

  test("the whole page when a data-pagefind- attribute outside the indexed element could change the index (metadata, filters, a second body)", () => {
    for (const aside of ['<span data-pagefind-meta="author">A</span>', '<span data-pagefind-filter="tag">B</span>', "<div data-pagefind-body>More</div>"]) {
      const html = page({ aside });
      expect(indexedInput(html)).toBe(html);
    }
    const withDefaultMeta = page({ head: '<meta data-pagefind-default-meta="image[content]" content="/a.png">' });
    expect(indexedInput(withDefaultMeta)).toBe(withDefaultMeta);
  });
});

