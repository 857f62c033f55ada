import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  balanceInlineHtml,
  checkUrl,
  decodeCharRefs,
  escapeAttribute,
  escapeText,
  isExternalUrl,
  sanitizeHtml,
  sanitizeHtmlBlock,
  sanitizeInlineTag,
  type OpenElement,
  type SanitizeContext,
} from "../../../src/render/sanitize-html.js";

const block = (html: string): string => sanitizeHtml(html, "block");
const inline = (html: string): string => sanitizeHtml(html, "inline");

describe("allowed HTML survives", () => {
  test.each([
    ['<span lang="en">"Yes"</span>', '<span lang="en">"Yes"</span>'],
    ['<abbr title="European Union">EU</abbr>', '<abbr title="European Union">EU</abbr>'],
    ["<details open><summary>More</summary><p>Text</p></details>", "<details open><summary>More</summary><p>Text</p></details>"],
    [
      '<table><caption>C</caption><thead><tr><th scope="col" colspan="2">H</th></tr></thead><tbody><tr><td rowspan=2>1</td></tr></tbody></table>',
      '<table><caption>C</caption><thead><tr><th scope="col" colspan="2">H</th></tr></thead><tbody><tr><td rowspan="2">1</td></tr></tbody></table>',
    ],
    ['<ol start="3" reversed type="i"><li>a</li></ol>', '<ol start="3" reversed type="i"><li>a</li></ol>'],
    ['<blockquote cite="https://a.example/s">q</blockquote>', '<blockquote cite="https://a.example/s">q</blockquote>'],
    ['<q cite="/x">q</q> <del datetime="2025-02-13">old</del> <ins>new</ins>', '<q cite="/x">q</q> <del datetime="2025-02-13">old</del> <ins>new</ins>'],
    ['<time datetime="2025-02-13T10:00:00+01:00">13. Februar</time>', '<time datetime="2025-02-13T10:00:00+01:00">13. Februar</time>'],
    ['<figure><img src="/a.png" alt="A" width="640" height="480"><figcaption>Cap</figcaption></figure>', '<figure><img src="/a.png" width="640" height="480" alt="A" loading="lazy" decoding="async"><figcaption>Cap</figcaption></figure>'],
    ["<dl><dt>T</dt><dd>D</dd></dl>", "<dl><dt>T</dt><dd>D</dd></dl>"],
    ['<p dir="RTL" class="lead  x-1">t</p>', '<p dir="rtl" class="lead x-1">t</p>'],
    ['<bdo dir="rtl">abc</bdo> <bdi>x</bdi>', '<bdo dir="rtl">abc</bdo> <bdi>x</bdi>'],
    ["<h1>Title</h1><h3>Sub</h3>", "<h2>Title</h2><h3>Sub</h3>"],
    ["a<br>b<wbr>c<hr>", "a<br>b<wbr>c<hr>"],
    ["<pre><code>x &lt; y</code></pre>", "<pre><code>x &lt; y</code></pre>"],
    ["<kbd>K</kbd><samp>S</samp><var>V</var><mark>M</mark><small>s</small><sub>1</sub><sup>2</sup><s>x</s><u>u</u><cite>c</cite><dfn title=\"d\">D</dfn>", "<kbd>K</kbd><samp>S</samp><var>V</var><mark>M</mark><small>s</small><sub>1</sub><sup>2</sup><s>x</s><u>u</u><cite>c</cite><dfn title=\"d\">D</dfn>"],
  ])("%j", (input, expected) => {
    expect(block(input)).toBe(expected);
  });
});

describe("dropped markup", () => {
  test.each([
    ["<script>alert(1)</script>x", "x"],
    ["<STYLE>p{color:red}</STYLE>x", "x"],
    ["<iframe src=https://a.example>fallback</iframe>x", "x"],
    ["<textarea><b>t</b></textarea>x", "x"],
    ["<title>T</title>x", "x"],
    ["<noscript>n</noscript>x", "x"],
    ["<template><p>t</p></template>x", "x"],
    ["<svg><g><svg></svg><text>s</text></g></svg>x", "x"],
    ["<svg/>x", "x"],
    ["<math><mi>m</mi></math>x", "x"],
    ["<object><param name=a>o</object>x", "x"],
    ["<video><source src=a.mp4>v</video>x", "x"],
    ["<xmp><b></xmp>x", "x"],
    ["<plaintext><b>everything after", ""],
    ["<form><input name=a><button>B</button></form>x", "Bx"],
    ['<meta http-equiv="refresh" content="0"><base href="/"><link rel=x>x', "x"],
    ["<embed src=a>x<applet>a</applet>", "x"],
    ["<unknown-element>t</unknown-element>", "t"],
    ["<!-- c -->x", "x"],
    ["<!-- a --!>x", "x"],
    ["<!-->x", "x"],
    ["<!--->x", "x"],
    ["<!-- never closed <b>x", ""],
    ["<![CDATA[ c ]]>x", "x"],
    ["<![CDATA[ a > b ]]>x", " b ]]&gt;x"], // a bogus comment ends at the first ">", as in browsers
    ["<?php echo 1 ?>x", "x"],
    ["<!DOCTYPE html>x", "x"],
    ["</>x", "x"],
    ["</ 1>x", "x"],
  ])("%j -> %j", (input, expected) => {
    expect(block(input)).toBe(expected);
  });

  test.each([
    ['<p onclick="x" style="color:red" data-x="1" srcdoc="s" formaction="f" tabindex="0" hidden>t</p>', "<p>t</p>"],
    ['<a href="https://a.example" target="_blank" rel="opener" ping="https://t.example">a</a>', '<a href="https://a.example" rel="noopener">a</a>'],
    ['<img src="/a.png" srcset="/b.png 2x" usemap="#m" ismap>', '<img src="/a.png" alt="" loading="lazy" decoding="async">'],
    ['<td colspan="0" rowspan="x">c</td>', "c"],
    ['<table><tr><td colspan="0" rowspan="x" scope="row">c</td></tr></table>', "<table><tr><td>c</td></tr></table>"],
    ['<ol start="x" type="disc"><li>a</li></ol>', "<ol><li>a</li></ol>"],
    ['<p lang="en us" dir="up" title="t&quot;x">t</p>', '<p title="t&quot;x">t</p>'],
    ['<time datetime="yesterday">gestern</time>', "gestern"],
    ["<time>2025-02-13</time>", "2025-02-13"],
    ['<time datetime="P">x</time><time datetime="PT">y</time><time datetime="PT2H30M">z</time>', 'xy<time datetime="PT2H30M">z</time>'],
    ['<bdo dir="auto">x</bdo>', "x"],
    ['<img src="/a.png" width="100%" height="-1">', '<img src="/a.png" alt="" loading="lazy" decoding="async">'],
  ])("attributes: %j", (input, expected) => {
    expect(block(input)).toBe(expected);
  });

  test("attribute values are decoded, checked and re-escaped", () => {
    expect(block("<abbr title=\"a &amp; b &lt;c&gt; 'd' &#34;e&#34; &bogus;\">x</abbr>")).toBe(
      '<abbr title="a &amp; b &lt;c&gt; &#39;d&#39; &quot;e&quot; &amp;bogus;">x</abbr>',
    );
    expect(block("<abbr title='it\"s'>x</abbr><abbr title=un`quoted>y</abbr><abbr title>z</abbr>")).toBe(
      '<abbr title="it&quot;s">x</abbr><abbr title="un`quoted">y</abbr><abbr title="">z</abbr>',
    );
  });

  test("the first of duplicate attributes wins, as in browsers", () => {
    expect(block('<a href="/ok" href="javascript:alert(1)">x</a>')).toBe('<a href="/ok">x</a>');
    expect(block('<a href="javascript:alert(1)" href="/ok">x</a>')).toBe("x");
  });

  test("an image without an allowed src becomes its alt text", () => {
    expect(block('<img src="javascript:alert(1)" alt="A &amp; &lt;B&gt;">')).toBe("A &amp; &lt;B&gt;");
    expect(block('<img alt="no src">')).toBe("no src");
  });

  test("ids are prefixed and unique", () => {
    expect(block('<p id="top">a</p><p id="top">b</p><p id="bad id">c</p><span id="fn:1">d</span>')).toBe(
      '<p id="user-content-top">a</p><p>b</p><p>c</p><span id="user-content-fn:1">d</span>',
    );
  });
});

describe("text", () => {
  test.each([
    ["a < b > c", "a &lt; b &gt; c"],
    ["AT&T & co", "AT&amp;T &amp; co"],
    ["&amp; &lt; &gt; &quot; &nbsp; &auml; &hellip; &euro; &Omega; &#228; &#xE4;", "&amp; &lt; &gt; &quot; &nbsp; &auml; &hellip; &euro; &Omega; &#228; &#xE4;"],
    ["&bogus; &amp &#0; &#xD800; &#1114112; &#x1F600;", "&amp;bogus; &amp;amp &amp;#0; &amp;#xD800; &amp;#1114112; &#x1F600;"],
    ["a\u0000b\u0007c\u0085d\te\nf", "abcd\te\nf"],
  ])("%j -> %j", (input, expected) => {
    expect(block(input)).toBe(expected);
    expect(escapeText(input)).toBe(expected);
  });
});

describe("malformed tags come out safe", () => {
  test.each([
    ["<img src=x onerror=alert(1)//", ""],
    ["<img/src=/a.png/onerror=alert(1)>", '<img src="/a.png/onerror=alert(1)" alt="" loading="lazy" decoding="async">'],
    ["<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"], // tag name "scr<script", as browsers read it
    ["<SCRIPT SRC=x></SCRIPT>after", "after"],
    ['<a href="javas&#x09;cript:alert(1)">x</a>', "x"],
    ["<a href=/ok title=a'b>x</a>", '<a href="/ok" title="a&#39;b">x</a>'],
    ["<p\n\tclass = lead\n>x</p>", '<p class="lead">x</p>'],
    ['<p class="x>y">z</p>', '<p>z</p>'],
    ["<p =x>y</p>", "<p>y</p>"],
    ["< p>x", "&lt; p&gt;x"],
    ["<3 and 1<2", "&lt;3 and 1&lt;2"],
    ["a</", "a&lt;/"],
    ["<b\u0000>x</b>", "x"],
    ['<a href="/x" <b>y</a>', '<a href="/x">y</a>'],
  ])("%j -> %j", (input, expected) => {
    expect(block(input)).toBe(expected);
  });
});

describe("balance (block)", () => {
  test.each([
    ["<div><p>unclosed", "<div><p>unclosed</p></div>"],
    ["text</div></p></span>", "text"],
    ["<b><i>x</b>y</i>", "<b><i>x</i></b>y"],
    ["<p>a<p>b", "<p>a</p><p>b</p>"],
    ["<p>a<div>b</div>", "<p>a</p><div>b</div>"],
    ["<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>"],
    ["<ul>junk<li>a</li><span>s</span></ul>", "<ul><li>a</li></ul>"],
    ["<li>orphan</li>", "orphan"],
    ["<table><td>c</td></table>", "<table><tr><td>c</td></tr></table>"],
    ["<table>stray text<tr><td>c</td></tr></table>", "<table><tr><td>c</td></tr></table>"],
    ["<span><div>block in inline</div></span>", "<span>block in inline</span>"],
    ["<a href=/a>1<a href=/b>2</a>3</a>", '<a href="/a">12</a>3'],
    ["<details><summary>1</summary><summary>2</summary></details>", "<details><summary>1</summary>2</details>"],
    ["<details>text<summary>late</summary></details>", "<details>textlate</details>"],
    ["<br></br><img src=/a.png></img>", '<br><img src="/a.png" alt="" loading="lazy" decoding="async">'],
    ["<div/>x", "<div>x</div>"],
    ["<h2>a<h3>b</h3>", "<h2>ab</h2>"],
    ["<dl><dd>d<dt>t</dl>", "<dl><dd>d</dd><dt>t</dt></dl>"],
  ])("%j -> %j", (input, expected) => {
    expect(block(input)).toBe(expected);
  });

  test("deeply nested input does not overflow", () => {
    const out = block("<div>".repeat(100_000) + "x");
    expect(out.startsWith("<div><div>")).toBe(true);
    expect(out.endsWith("x" + "</div>".repeat(100_000))).toBe(true);
  });
});

describe("inline mode keeps phrasing elements only", () => {
  test.each([
    ["<p>para <b>bold</b></p><div>d</div>", "para <b>bold</b>d"],
    ["<ul><li>x</li></ul><table><tr><td>c</td></tr></table>", "xc"],
    ['<span lang="fr">oui</span> <a href="https://a.example">a</a>', '<span lang="fr">oui</span> <a href="https://a.example" rel="noopener">a</a>'],
    ["<em>unclosed", "<em>unclosed</em>"],
  ])("%j -> %j", (input, expected) => {
    expect(inline(input)).toBe(expected);
  });
});

describe("pieces the Markdown renderer uses", () => {
  const ctx = (): SanitizeContext => ({ siteHost: "news.example", usedIds: new Set() });

  test("sanitizeInlineTag: one tag, not balanced", () => {
    expect(sanitizeInlineTag('<span lang="en" onclick="x">', ctx())).toBe('<span lang="en">');
    expect(sanitizeInlineTag("</span>", ctx())).toBe("</span>");
    expect(sanitizeInlineTag("<div>", ctx())).toBe("");
    expect(sanitizeInlineTag('<a href="https://news.example/x">', ctx())).toBe('<a href="https://news.example/x">');
    expect(sanitizeInlineTag("<!-- c -->", ctx())).toBe("");
  });

  test("sanitizeHtmlBlock keeps flow containers open for the next block", () => {
    const stack: OpenElement[] = [];
    const c = ctx();
    expect(sanitizeHtmlBlock("<div><details><summary>S</summary><p>open", stack, c)).toBe("<div><details><summary>S</summary><p>open</p>");
    expect(stack.map((e) => e.name)).toEqual(["div", "details"]);
    expect(sanitizeHtmlBlock("</details>tail", stack, c)).toBe("</details>tail");
    expect(stack.map((e) => e.name)).toEqual(["div"]);
  });

  test.each([
    ['<span lang="en">a <em>b</span> c</em>', '<span lang="en">a <em>b</em></span> c'],
    ["</b>x<i>", "x<i></i>"],
    ['<a href="/1">x <a href="/2">y</a> z</a>', '<a href="/1">x y z</a>'],
    ['a<br><img src="/a.png" alt="">b', 'a<br><img src="/a.png" alt="">b'],
  ])("balanceInlineHtml %j -> %j", (input, expected) => {
    expect(balanceInlineHtml(input)).toBe(expected);
  });
});

describe("URLs", () => {
  test.each([
    ["https://a.example/x?y=1#z", "link", "https://a.example/x?y=1#z"],
    ["HTTP://A.EXAMPLE", "link", "HTTP://A.EXAMPLE"],
    ["//a.example/x", "link", "//a.example/x"],
    ["/relative/path", "link", "/relative/path"],
    ["../up", "link", "../up"],
    ["#fragment", "link", "#fragment"],
    ["?query", "link", "?query"],
    ["mailto:a@b.example", "link", "mailto:a@b.example"],
    ["tel:+49 30 123", "link", "tel:+49%2030%20123"],
    ["  https://a.example/a b  ", "link", "https://a.example/a%20b"],
    ["https://a.example/ü?q=ä", "link", "https://a.example/%C3%BC?q=%C3%A4"],
    ["https://a.example/100%", "link", "https://a.example/100%25"],
    ["https://a.example/%C3%BC", "link", "https://a.example/%C3%BC"],
    ["/a\\b", "link", "/a%5Cb"],
    ["\\\\evil.example", "link", "%5C%5Cevil.example"],
    ["/a\"b<c>", "link", "/a%22b%3Cc%3E"],
    ["https://a.example/x.png", "image", "https://a.example/x.png"],
    ["x.png", "image", "x.png"],
  ] as const)("%j (%s) -> %j", (url, kind, expected) => {
    expect(checkUrl(url, kind)).toBe(expected);
  });

  test.each([
    ["javascript:alert(1)", "link"],
    ["JAVASCRIPT:alert(1)", "link"],
    [" \u0001javascript:alert(1)", "link"],
    ["java\tscript:alert(1)", "link"],
    ["java\nscript:alert(1)", "link"],
    ["java\u0000script:alert(1)", "link"],
    ["vbscript:x", "link"],
    ["data:text/html,x", "link"],
    ["file:///etc/passwd", "link"],
    ["ftp://a.example", "link"],
    ["foo:bar", "link"],
    ["", "link"],
    ["   ", "link"],
    ["mailto:a@b.example", "image"],
    ["data:image/png;base64,AAAA", "image"],
    ["javascript:alert(1)", "image"],
    ["https://a.example/\uD800", "link"],
  ] as const)("%j (%s) is refused", (url, kind) => {
    expect(checkUrl(url, kind)).toBeNull();
  });

  test("a scheme is what comes before the first colon, if that is before any / ? #", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const url = checkUrl(s, "link");
        if (url === null) return;
        expect(url).toMatch(/^[\x21-\x7E]*$/); // encoded: no spaces, controls or non-ASCII left
        const m = /^([^/?#]*?):/.exec(url);
        if (m !== null) expect(["http", "https", "mailto", "tel"]).toContain(m[1]!.toLowerCase());
      }),
      { numRuns: 2000 },
    );
  });

  test.each([
    ["https://other.example/x", "news.example", true],
    ["//other.example", "news.example", true],
    ["https://news.example/x", "news.example", false],
    ["https://NEWS.example:443/x", "news.example", false],
    ["https://news.example./x", "news.example", false],
    ["https://news.example@evil.example/", "news.example", true],
    ["https://evil.example#@news.example", "news.example", true],
    ["/x", "news.example", false],
    ["mailto:a@other.example", "news.example", false],
    ["https://news.example/x", null, true],
  ] as const)("isExternalUrl(%j, %j) = %s", (url, host, expected) => {
    expect(isExternalUrl(url, host)).toBe(expected);
  });
});

describe("escaping and references", () => {
  test.each([
    ['a&b<c>d"e\'f', "a&amp;b&lt;c&gt;d&quot;e&#39;f"],
    ["a\u0000b", "ab"],
  ])("escapeAttribute %j", (input, expected) => {
    expect(escapeAttribute(input)).toBe(expected);
  });

  test.each([
    ["&#106;&#x61;&#118&#x61 &amp;&lt;&nbsp;&auml;&Auml;&yuml;&szlig;&Omega;&sigmaf;&hellip;&euro;&rang;", "java &<\u00A0äÄÿßΩς…€⟩"],
    ["&#0; &#xD800; &#1114112;", "\uFFFD \uFFFD \uFFFD"],
    ["&colon; &bogus; & &;", "&colon; &bogus; & &;"],
  ])("decodeCharRefs %j", (input, expected) => {
    expect(decodeCharRefs(input)).toBe(expected);
  });
});

describe("properties", () => {
  const fragments = fc.constantFrom("<", ">", "</", "<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<li>", "<ul>", "<table>", "<td>", "<a href=/x>", "</a>", "text", " ", "&", "&amp;", "<!--", "-->", "<script>", "</script>", '"', "'", "=");
  const soup = fc.array(fragments, { maxLength: 40 }).map((a) => a.join(""));

  test("output is balanced: every opened element closes, in order", () => {
    const VOID = new Set(["br", "hr", "img", "wbr"]);
    fc.assert(
      fc.property(soup, fc.constantFrom("block", "inline") as fc.Arbitrary<"block" | "inline">, (s, mode) => {
        const stack: string[] = [];
        for (const m of sanitizeHtml(s, mode).matchAll(/<(\/?)([a-z][a-z0-9]*)[^>]*>/g)) {
          if (VOID.has(m[2]!)) continue;
          if (m[1] === "") stack.push(m[2]!);
          else expect(stack.pop()).toBe(m[2]);
        }
        expect(stack).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  test("sanitizing twice changes nothing", () => {
    fc.assert(
      fc.property(soup, (s) => {
        const once = sanitizeHtml(s, "block").replace(/ id="user-content-/g, ' id="');
        expect(sanitizeHtml(once, "block").replace(/ id="user-content-/g, ' id="')).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});
