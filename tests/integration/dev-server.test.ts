/**
 * `gazette dev` over HTTP, with the real watcher: a temp copy of the articles is edited on disk and
 * the served site, the live-reload events and the error overlay payload are checked. Waits are
 * bounded polls (a hang fails), never timing assertions.
 */
import { cp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { createServer, get, type IncomingMessage } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startDevServer, type DevServer } from "../../src/dev/dev-server.js";
import { REPO_ROOT, copyProject, makeTempSite, removeTempSite, text } from "../helpers/temp-site.js";

let root: string;
let dev: DevServer;
const log: string[] = [];
const events: { type: string; data: Record<string, unknown> }[] = [];
let stream: IncomingMessage;

const STORY = "articles/trump-offen-fuer-treffen-mit-putin";

beforeAll(async () => {
  root = await makeTempSite({});
  await copyProject(root);
  await mkdir(path.join(root, "templates/assets"), { recursive: true });
  await cp(path.join(REPO_ROOT, "templates/assets/style.css"), path.join(root, "templates/assets/style.css"));
  dev = await startDevServer({ root, host: "127.0.0.1", port: 0, strictPort: true, debounceMs: 30, log: (line) => log.push(line) });
  await dev.ready;
  stream = await new Promise<IncomingMessage>((resolve) => get(`${origin()}/__gazette/events`, resolve));
  let buffer = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const type = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (type && data) events.push({ type, data: JSON.parse(data) as Record<string, unknown> });
    }
  });
});

afterAll(async () => {
  stream?.destroy();
  await dev?.close();
  await removeTempSite(root);
});

const origin = () => `http://127.0.0.1:${dev.port}`;

async function fetchText(url: string, init?: RequestInit): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(url.startsWith("http") ? url : origin() + url, { redirect: "manual", ...init });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** Polls until `check` passes (bounded: the test's timeout is the limit). */
async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}; log:\n${log.join("\n")}`);
}

describe("gazette dev", () => {
  test("serves the built site from memory with the live-reload script injected, HEAD and ETags", async () => {
    const page = await fetchText("/de/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.body).toContain('<script src="/__gazette/live-reload.js" defer></script></body>');
    const head = await fetch(`${origin()}/de/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const etag = head.headers.get("etag")!;
    expect((await fetch(`${origin()}/de/`, { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await fetchText("/__gazette/live-reload.js")).headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    // Pretty URLs and the site's 404 page.
    expect((await fetchText("/de")).headers.get("location")).toBe("/de/");
    const missing = await fetchText("/de/gibt-es-nicht/");
    expect(missing.status).toBe(404);
    expect(missing.body).toContain("<h1");
    // The files themselves stay production-identical: the script is added as they are served.
    expect(text(dev.session.files.get("de/index.html")!)).toContain("</body>");
    expect(text(dev.session.files.get("de/index.html")!)).not.toContain("__gazette");
    expect((await fetch(`${origin()}/de/`, { method: "POST" })).status).toBe(405);
  });

  test("traversal never reaches a file outside the site", async () => {
    await writeFile(path.join(root, "secret.txt"), "TOP-SECRET-VALUE");
    for (const attempt of ["/../secret.txt", "/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt", "/de/..%2f..%2fsecret.txt", "//secret.txt", "//127.0.0.1/secret.txt", "/..\\secret.txt", "/%00", "/.gazette-output"]) {
      const response = await fetchText(attempt);
      expect([400, 404], attempt).toContain(response.status);
      expect(response.body, attempt).not.toContain("TOP-SECRET-VALUE");
    }
  });

  test("editing a title updates the served pages and sends a reload naming them", async () => {
    const file = path.join(root, STORY, "de.md");
    const source = await readFile(file, "utf8");
    events.length = 0;
    await writeFile(file, source.replace(/^title: .*$/m, "title: Trump offen für ein Gipfeltreffen"));
    await eventually(async () => (await fetchText("/de/")).body.includes("Trump offen für ein Gipfeltreffen"), "the new title on /de/");
    await eventually(() => events.some((event) => event.type === "reload"), "a reload event");
    const reload = events.find((event) => event.type === "reload")!;
    expect(reload.data.urls).toContain("/de/");
    expect(reload.data.urls).toContain("/de/trump-offen-fuer-ein-gipfeltreffen/");
    // A browser on the old URL is sent to the new one.
    expect(reload.data.moved).toEqual({ "/de/trump-offen-fuer-treffen-mit-putin-in-russland-und-den-usa/": "/de/trump-offen-fuer-ein-gipfeltreffen/" });
    expect((await fetchText("/de/trump-offen-fuer-ein-gipfeltreffen/")).status).toBe(200);
    // Only what shows the story was written: not the English topic index, not the 404 page.
    expect(dev.last.written).not.toContain("en/topics/index.html");
    expect(dev.last.written).not.toContain("404.html");
    expect(dev.last.rendered).toBeLessThan(dev.last.routes / 2);
  });

  test("a body edit is served by the quick path, then related lists settle while the server is quiet", async () => {
    const file = path.join(root, "articles/trump-putin-telefonat-ohne-fortschritte/en.md");
    const source = await readFile(file, "utf8");
    events.length = 0;
    await writeFile(file, `${source.trimEnd()}\n\nThe officials gave no further details on Tuesday.\n`);
    await eventually(() => dev.last.quick && dev.last.written.some((written) => written.startsWith("en/") && text(dev.session.files.get(written)!).includes("no further details on Tuesday")), "a quick rebuild");
    const page = dev.last.written.find((written) => written.startsWith("en/") && written.endsWith("/index.html") && text(dev.session.files.get(written)!).includes("no further details on Tuesday"))!;
    expect((await fetchText("/" + page.replace(/index\.html$/, ""))).body).toContain("no further details on Tuesday");
    await eventually(() => events.some((event) => event.type === "reload"), "a reload event");
    await dev.idle();
    expect(dev.session.pending).toBe(false);
    await writeFile(file, source);
    await eventually(async () => !(await fetchText("/" + page.replace(/index\.html$/, ""))).body.includes("no further details"), "the edit undone");
    await dev.idle();
  });

  test("a broken save keeps the last good build served and reports the error with file and line; a fix recovers", async () => {
    const file = path.join(root, STORY, "de.md");
    const good = await readFile(file, "utf8");
    events.length = 0;
    await writeFile(file, good.replace(/^title: .*$/m, 'title: "Unclosed'));
    await eventually(() => events.some((event) => event.type === "build-error"), "a build-error event");
    const message = String(events.find((event) => event.type === "build-error")!.data.message);
    expect(message).toMatch(new RegExp(`^${STORY}/de\\.md:\\d+:\\d+ FrontmatterError`));
    expect(log.some((line) => line.startsWith(`${STORY}/de.md:`))).toBe(true);
    // Still the last good page.
    const page = await fetchText("/de/trump-offen-fuer-ein-gipfeltreffen/");
    expect(page.status).toBe(200);
    expect(page.body).toContain("Trump offen für ein Gipfeltreffen");
    // A page opened now gets the overlay payload at once.
    const late = await new Promise<string>((resolve) => {
      get(`${origin()}/__gazette/events`, (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
          if (text.includes("build-error")) {
            response.destroy();
            resolve(text);
          }
        });
      });
    });
    expect(late).toContain("FrontmatterError");

    events.length = 0;
    await writeFile(file, good);
    await eventually(() => events.some((event) => event.type === "ok"), "recovery");
    expect(dev.session.errors).toEqual([]);
  });

  test("a stylesheet change swaps the stylesheet without a reload", async () => {
    const css = path.join(root, "templates/assets/style.css");
    events.length = 0;
    await writeFile(css, `${await readFile(css, "utf8")}\n.gazette-test { color: inherit; }\n`);
    await eventually(() => events.some((event) => event.type === "css"), "a css event");
    const swap = events.find((event) => event.type === "css")!.data.swap as Record<string, string>;
    const [[oldHref, newHref]] = Object.entries(swap) as [[string, string]];
    expect(oldHref).toMatch(/^\/assets\/style\.[0-9a-f]{8}\.css$/);
    expect(newHref).toMatch(/^\/assets\/style\.[0-9a-f]{8}\.css$/);
    expect(newHref).not.toBe(oldHref);
    expect((await fetchText(newHref)).body).toContain(".gazette-test");
    expect(events.some((event) => event.type === "reload")).toBe(false);
  });

  test("deleting a story removes it from the front page and its URL", async () => {
    await rm(path.join(root, STORY), { recursive: true });
    await eventually(async () => !(await fetchText("/de/")).body.includes("Trump offen für ein Gipfeltreffen"), "the story gone from /de/");
    expect((await fetchText("/de/trump-offen-fuer-ein-gipfeltreffen/")).status).toBe(404);
  });

  test("a busy port: the next free one, said in the output; an explicit --port that is taken is an error", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
    const busy = (blocker.address() as { port: number }).port;
    try {
      const second = await startDevServer({ root, host: "127.0.0.1", port: busy, strictPort: false, log: () => undefined });
      expect(second.port).not.toBe(busy);
      await second.close();
      await expect(startDevServer({ root, host: "127.0.0.1", port: busy, strictPort: true, log: () => undefined })).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      blocker.close();
    }
  });
});
