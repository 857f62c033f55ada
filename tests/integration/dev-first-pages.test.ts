/**
 * `gazette dev`'s first build serves pages before it ends: once its routes are planned, a page
 * asked for is rendered from the plan (and kept for the build), so a large site is browsable a
 * few seconds in. Those pages must be the bytes the build ends with.
 */
import { get } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SiteSession } from "../../src/dev/site-session.js";
import { startDevServer } from "../../src/dev/dev-server.js";
import { expectSessionSameAsColdBuild } from "../helpers/dev-session.js";
import { copyProject, makeTempSite, removeTempSite, text } from "../helpers/temp-site.js";

const EPOCH = "1755734400";
let root: string;

beforeAll(async () => {
  root = await makeTempSite({});
  await copyProject(root);
  process.env.SOURCE_DATE_EPOCH = EPOCH;
});

afterAll(async () => {
  delete process.env.SOURCE_DATE_EPOCH;
  await removeTempSite(root);
});

function getPage(url: URL): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    }).on("error", reject);
  });
}

const PAGES = ["de/trump-offen-fuer-treffen-mit-putin-in-russland-und-den-usa/index.html", "de/themen/index.html", "en/index.html", "fr/feed.xml", "404.html"];

describe("the first build of a dev session", () => {
  test("renders the pages asked for while it runs, the same bytes it ends with", async () => {
    const session = new SiteSession({ root });
    expect(session.serving).toBe(false);
    const build = session.rebuild(null);
    await session.firstPages;
    expect(session.files.size).toBe(0); // still building
    expect(session.serving).toBe(true);
    const early = new Map(PAGES.map((page) => [page, session.page(page)]));
    for (const [page, body] of early) expect(body, page).toBeDefined();
    expect(session.page("de/no-such-page/index.html")).toBeUndefined();
    // The sitemap lists every page: it waits for the build's end.
    expect(session.hasPage("sitemap.xml")).toBe(false);
    expect(session.page("sitemap.xml")).toBeUndefined();
    expect(session.hasPage("de/index.html")).toBe(true);

    const report = await build;
    expect(report.ok).toBe(true);
    for (const [page, body] of early) expect(text(body!), page).toBe(text(session.files.get(page)!));
    await expectSessionSameAsColdBuild(session, root, EPOCH);
  });

  test("the dev server says its URL before its start resolves, and answers what was asked then", async () => {
    const served: Promise<{ status: number; body: string }>[] = [];
    const dev = await startDevServer({
      root,
      host: "127.0.0.1",
      port: 0,
      strictPort: true,
      log: () => undefined,
      onListening: (url) => {
        // Asked for now; on a site this small the build may well end before they are answered (the first test shows pages rendered while it runs).
        for (const page of ["de/", "en/themen/", "de/themen/"]) served.push(getPage(new URL(page, url)));
      },
    });
    try {
      expect(served).toHaveLength(3); // asked for before the server's start resolved
      const answers = await Promise.all(served);
      expect(answers.map((answer) => answer.status)).toEqual([200, 404, 200]);
      const after = await Promise.all(["de/", "de/themen/"].map(async (page) => (await fetch(`http://127.0.0.1:${dev.port}/${page}`)).text()));
      expect([answers[0]!.body, answers[2]!.body]).toEqual(after);
    } finally {
      await dev.close();
    }
  });
});
