/**
 * Article bodies rendered by a loading thread travel to the main thread as one buffer a batch
 * (load-worker.ts), which the renderer frees once every page of the batch is rendered.
 */
import { describe, expect, it } from "vitest";
import { loadShard, packBodies, type ShardChunk } from "../../../src/workers/load-shard.js";
import { bodyReleaser } from "../../../src/render/render-pages.js";
import { listContent } from "../../../src/content/load-content.js";
import { DiagnosticSink } from "../../../src/errors/diagnostics.js";
import { useProjectCopy } from "../../helpers/temp-site.js";

const utf8 = new TextEncoder();
const text = new TextDecoder();

describe("bodies packed into one buffer", () => {
  it("are views of one buffer, in order, with their bytes; none for no bodies", () => {
    const bodies = ["<p>Erste Meldung über Zölle – „Zitat“.</p>", "", "<p>Second 😀</p>"].map((html) => utf8.encode(html));
    const packed = packBodies(bodies);
    expect(packed.map((body) => text.decode(body))).toEqual(bodies.map((body) => text.decode(body)));
    expect(new Set(packed.map((body) => body.buffer)).size).toBe(1);
    expect(packed[0]!.buffer.byteLength).toBe(bodies.reduce((sum, body) => sum + body.length, 0));
    expect(packBodies([])).toEqual([]);
  });

  it("are freed when the last page of their buffer is rendered, not before; a body alone in its buffer at once", () => {
    const [first, second, third] = packBodies(["<p>a</p>", "<p>b</p>", "<p>c</p>"].map((html) => utf8.encode(html)));
    const alone = utf8.encode("<p>alone</p>");
    const rendered = bodyReleaser([first!, second!, third!, alone]);
    rendered(alone);
    expect(alone.byteLength).toBe(0);
    rendered(second!);
    rendered(first!);
    expect(text.decode(third!)).toBe("<p>c</p>");
    rendered(third!);
    expect(third!.byteLength).toBe(0);
    expect(first!.buffer.byteLength).toBe(0);
  });
});

describe("a loading thread's bodies", () => {
  const site = useProjectCopy();

  it("come in one buffer a batch when handed to another thread, one body an article, each its page's HTML; kept on this thread, one each", async () => {
    const root = site();
    const files = await listContent({ root, contentDir: "articles" }, new DiagnosticSink());
    const task = { root, overrides: {}, contentDir: "articles", files, renderBodies: true, markdown: "drop" as const };
    const chunks: ShardChunk[] = [];
    await loadShard(task, undefined, (chunk) => chunks.push(chunk));
    expect(chunks).toHaveLength(1);
    const [{ articles, bodies }] = chunks as [ShardChunk];
    expect(articles.length).toBeGreaterThan(5);
    expect(bodies).toHaveLength(articles.length);
    expect(new Set(bodies.map((body) => body.buffer)).size).toBe(1);
    // The buffer holds the bodies one after the other, each a page's HTML, none the same as another.
    expect(bodies[0]!.buffer.byteLength).toBe(bodies.reduce((sum, body) => sum + body.length, 0));
    const html = bodies.map((body) => text.decode(body));
    for (const body of html) expect(body).toMatch(/^<(p|h\d|ul|ol|blockquote|figure)[\s>]/);
    expect(new Set(html).size).toBe(html.length);
    const kept = await loadShard(task);
    expect(kept.bodies.map((body) => text.decode(body))).toEqual(html);
    expect(new Set(kept.bodies.map((body) => body.buffer)).size).toBe(kept.bodies.length);
  });
});
