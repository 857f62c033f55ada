import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { CONFIG_FILE } from "../config/site-config.js";
import { formatError } from "../errors/format.js";
import { hashText } from "../util/hash.js";
import { classifyChange, summarizeChanges, type Change, type ChangeSet } from "./classify-change.js";
import { listen } from "./listen.js";
import { CLIENT_PATH, CLIENT_SCRIPT, EVENTS_PATH, LiveReloadHub, injectClient } from "./live-reload.js";
import { RebuildQueue } from "./rebuild-queue.js";
import { SiteSession, type RebuildReport } from "./site-session.js";
import { contentTypeOf, parseRequestPath } from "./static-server.js";

export interface DevServerOptions {
  root: string;
  content?: string;
  /** Also write every good build into this folder (atomically, like `gazette build`). */
  out?: string;
  drafts?: boolean;
  host: string;
  port: number;
  /** An explicit --port: fail when it is taken instead of trying the next one. */
  strictPort: boolean;
  /** Quiet period that coalesces a burst of file events into one rebuild. */
  debounceMs?: number;
  /** Quiet period after a quick rebuild before related lists are brought up to date. */
  settleMs?: number;
  log: (line: string) => void;
  /** Told the site's URL as soon as the server listens, which may be before the first build ends. */
  onListening?: (url: string) => void;
}

export interface DevServer {
  url: string;
  port: number;
  session: SiteSession;
  hub: LiveReloadHub;
  /** The report of the last rebuild. */
  readonly last: RebuildReport;
  /** Resolves once the watcher is ready (events before then are missed). */
  ready: Promise<void>;
  /** Resolves when no rebuild is running or waiting. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `gazette dev`: builds into memory, serves it (the live-reload script injected into HTML only as
 * it is served), watches sources and rebuilds incrementally. A content or template error never
 * stops the server: the last good build stays served and the error shows in terminal and browser.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { log } = options;
  const session = new SiteSession({ root: options.root, ...(options.content !== undefined ? { content: options.content } : {}), drafts: options.drafts ?? false });
  const hub = new LiveReloadHub();
  // The server listens once the first build can serve pages (it renders those asked for before it
  // reaches them): at 10,000 stories a few seconds in, not when all 34,000 pages are made.
  const first = session.rebuild(null);
  await Promise.race([first, session.firstPages]);

  const server = createServer((request, response) => {
    try {
      handle(request, response, session, hub);
    } catch {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      response.end("Internal server error\n");
    }
  });
  let port: number;
  try {
    port = await listen(server, options.host, options.port, options.strictPort);
  } catch (error) {
    await first.catch(() => undefined);
    throw error;
  }
  const hostText = options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${hostText}:${port}${basePathOf(session)}`;
  options.onListening?.(url);
  // Saves during the first build are kept for the rebuild after it.
  const early: Change[] = [];
  let push = (change: Change): void => void early.push(change);
  const watcher = watchSources(session, options, (change) => push(change));
  const ready = new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  let last: RebuildReport;
  try {
    last = await first;
  } catch (error) {
    // An internal error (not the user's content): nothing keeps running.
    await watcher.close();
    server.close();
    server.closeAllConnections();
    throw error;
  }
  reportRebuild(log, "initial build", last, session.files.size);
  if (!last.ok) hub.send({ type: "build-error", message: LiveReloadHub.errorMessage(last.errors) });
  else await mirror(session, options, log);

  let internalError = false;
  const queue = new RebuildQueue(async (changes) => {
    const set = summarizeChanges(changes);
    const before = assetHrefs(session);
    const wasBroken = session.errors.length > 0 || internalError;
    internalError = false;
    try {
      last = await session.rebuild(set);
    } catch (error) {
      // An internal error (a bug, not the user's content): say so, keep serving the last good build.
      internalError = true;
      log(formatError(error));
      hub.send({ type: "build-error", message: String((error as Error)?.message ?? error) });
      return;
    }
    reportRebuild(log, describeChanges(changes, options.root), last, session.files.size);
    if (!last.ok) {
      hub.send({ type: "build-error", message: LiveReloadHub.errorMessage(last.errors) });
      return;
    }
    if (wasBroken) hub.send({ type: "ok" }); // hides the overlay even when the fix changed no page
    notify(hub, session, set, last, before);
    await mirror(session, options, log);
    // A quick rebuild left related lists for later: once the browser has had its reload.
    if (last.pending) queue.whenQuiet(settle, options.settleMs ?? 250);
  }, options.debounceMs ?? 60);

  const settle = async (): Promise<void> => {
    try {
      const report = await session.settle();
      if (report.written.length === 0 && report.removed.length === 0) return;
      reportRebuild(log, "related lists", report, session.files.size);
      notify(hub, session, summarizeChanges([]), report, new Map());
      await mirror(session, options, log);
    } catch (error) {
      log(formatError(error));
    }
  };

  push = (change) => queue.push(change);
  for (const change of early) queue.push(change);

  return {
    url,
    port,
    session,
    hub,
    get last() {
      return last;
    },
    ready,
    idle: () => queue.idle(),
    async close() {
      queue.close();
      await watcher.close();
      hub.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Watching

function watchSources(session: SiteSession, options: DevServerOptions, push: (change: Change) => void): FSWatcher {
  const root = path.resolve(options.root);
  const config = session.config;
  const contentDir = path.resolve(root, options.content ?? config?.paths.content ?? "articles");
  const templatesDir = path.resolve(root, config?.paths.templates ?? "templates");
  const dataDir = path.resolve(root, config?.paths.data ?? "data");
  const outDir = options.out !== undefined ? path.resolve(options.out) : path.resolve(root, config?.paths.out ?? "public");
  const configFile = path.join(root, CONFIG_FILE);
  const folders = [contentDir, templatesDir, dataDir];
  const within = (file: string, dir: string) => file === dir || file.startsWith(dir + path.sep);
  // One recursive watch from the root, pruned to the config file, the three source folders (also
  // when created later) and the folders leading to them; never the output, dotfiles or node_modules.
  const watcher = watch([root, ...folders.filter((dir) => !within(dir, root) && existsSync(dir))], {
    ignoreInitial: true,
    ignored: (file: string) => {
      const resolved = path.resolve(file);
      if (resolved === configFile) return false;
      if (within(resolved, outDir) || (resolved !== root && path.basename(resolved).startsWith("."))) return true;
      return !folders.some((dir) => within(resolved, dir) || within(dir, resolved));
    },
  });
  const onEvent = (event: Change["event"], directory: boolean) => (file: string) => {
    const absolute = path.resolve(file);
    const current = session.config;
    let kind: Change["kind"];
    if (current === null) kind = "config"; // no good config yet: every change retries everything
    else if (directory) kind = absolute.startsWith(contentDir + path.sep) ? "content" : "ignored";
    else kind = classifyChange(absolute, current, [templatesDir]);
    push({ kind, path: absolute, event });
  };
  watcher.on("add", onEvent("add", false));
  watcher.on("change", onEvent("change", false));
  watcher.on("unlink", onEvent("unlink", false));
  watcher.on("addDir", onEvent("add", true));
  watcher.on("unlinkDir", onEvent("unlink", true));
  watcher.on("error", (error) => options.log(`watch: ${String((error as Error)?.message ?? error)}`));
  return watcher;
}

// ---------------------------------------------------------------------------------------------
// Serving from memory

function basePathOf(session: SiteSession): string {
  return session.config ? new URL(session.config.baseUrl).pathname : "/";
}

function handle(request: IncomingMessage, response: ServerResponse, session: SiteSession, hub: LiveReloadHub): void {
  const requestPath = (request.url ?? "/").split("?")[0]!;
  if (requestPath === EVENTS_PATH) return hub.connect(response);
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
    response.end("Method not allowed\n");
    return;
  }
  if (requestPath === CLIENT_PATH) return send(request, response, 200, "live-reload.js", CLIENT_SCRIPT);
  const parsed = parseRequestPath(request.url ?? "/");
  if (parsed === "bad-request") {
    response.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
    response.end("Bad request\n");
    return;
  }
  const basePath = basePathOf(session);
  if (!session.serving) return send(request, response, 503, "index.html", NO_BUILD_PAGE);
  if (parsed !== "hidden" && parsed.pathname.startsWith(basePath)) {
    const relative = parsed.pathname.slice(basePath.length);
    const key = relative === "" || relative.endsWith("/") ? `${relative}index.html` : relative;
    const body = session.page(key);
    if (body !== undefined) return send(request, response, 200, key, body);
    if (session.hasPage(`${relative}/index.html`)) {
      response.writeHead(301, { location: encodeURI(`${parsed.pathname}/`) });
      response.end();
      return;
    }
  } else if (parsed !== "hidden" && parsed.pathname === "/" && basePath !== "/") {
    response.writeHead(302, { location: encodeURI(basePath) });
    response.end();
    return;
  }
  const notFound = session.page("404.html");
  if (notFound !== undefined) return send(request, response, 404, "404.html", notFound);
  response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
  response.end("Not found\n");
}

/** Shown while no build has ever succeeded: the overlay tells what is wrong; a good save reloads. */
const NO_BUILD_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Gazette: no build yet</title><body><p>Gazette could not build the site yet. Fix the error shown in the terminal; this page reloads when it builds.</p></body></html>`;

function send(request: IncomingMessage, response: ServerResponse, status: number, file: string, content: string | Uint8Array): void {
  const type = contentTypeOf(file);
  let body: string | Uint8Array = content;
  if (type.startsWith("text/html")) body = injectClient(typeof content === "string" ? content : Buffer.from(content).toString("utf8"));
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const etag = `"${hashText(bytes)}"`;
  const headers: Record<string, string> = { "content-type": type, "cache-control": "no-cache", etag, "x-content-type-options": "nosniff" };
  if (status === 200 && request.headers["if-none-match"] === etag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  headers["content-length"] = String(bytes.length);
  response.writeHead(status, headers);
  response.end(request.method === "HEAD" ? undefined : bytes);
}

// ---------------------------------------------------------------------------------------------
// After a rebuild

function assetHrefs(session: SiteSession): Map<string, string> {
  const hrefs = new Map<string, string>();
  const base = basePathOf(session);
  for (const file of session.files.keys()) if (file.startsWith("assets/")) hrefs.set(file.replace(/\.[0-9a-f]{8}(\.\w+)$/, "$1"), base + file);
  return hrefs;
}

/** Reload the pages that changed; when only stylesheets changed, swap them without a reload. */
function notify(hub: LiveReloadHub, session: SiteSession, set: ChangeSet, report: RebuildReport, before: Map<string, string>): void {
  if (report.written.length === 0 && report.removed.length === 0) return;
  const base = basePathOf(session);
  if (set.assetsOnly) {
    const after = assetHrefs(session);
    const swap: Record<string, string> = {};
    let onlyCss = true;
    for (const [name, href] of after) {
      const old = before.get(name);
      if (old === href) continue;
      if (!name.endsWith(".css") || old === undefined) onlyCss = false;
      else swap[old] = href;
    }
    if (onlyCss && Object.keys(swap).length > 0) {
      hub.send({ type: "css", swap });
      return;
    }
  }
  const urlOf = (file: string) => base + file.replace(/(^|\/)index\.html$/, "$1");
  const urls = [...report.written, ...report.removed].filter((file) => file.endsWith(".html")).map(urlOf);
  // A browser on a page that moved (its title changed its slug) follows it.
  const moved = Object.fromEntries(report.moved.map(([from, to]) => [urlOf(from), urlOf(to)]));
  hub.send({ type: "reload", urls, moved, all: report.written.includes("404.html") });
}

async function mirror(session: SiteSession, options: DevServerOptions, log: (line: string) => void): Promise<void> {
  if (options.out === undefined || session.config === null) return;
  const { createDiskWriter } = await import("../output/write-output.js");
  const config = session.config;
  try {
    const writer = await createDiskWriter({
      outDir: path.resolve(options.out),
      protectedDirs: { root: config.root, others: [config.paths.content, config.paths.templates, config.paths.data].map((dir) => path.resolve(config.root, dir)) },
    });
    try {
      for (const [outputPath, body] of session.files) await writer.write({ outputPath, body });
      await writer.commit();
    } catch (error) {
      await writer.abort();
      throw error;
    }
  } catch (error) {
    log(formatError(error));
  }
}

function describeChanges(changes: readonly Change[], root: string): string {
  const files = [...new Set(changes.filter((change) => change.kind !== "ignored").map((change) => path.relative(root, change.path) || "."))];
  if (files.length === 0) return "changes";
  return files.length <= 3 ? files.join(", ") : `${files.slice(0, 3).join(", ")} and ${files.length - 3} more`;
}

function reportRebuild(log: (line: string) => void, what: string, report: RebuildReport, total: number): void {
  const ms = `${Math.round(report.ms)} ms`;
  if (!report.ok) {
    log(`✗ ${what}: ${report.errors.length} error${report.errors.length === 1 ? "" : "s"} (${ms}); still serving the last good build`);
    for (const error of report.errors) log(formatError(error));
    return;
  }
  log(
    `✓ ${what}: ${report.written.length} written, ${report.removed.length} removed ` +
      `(${report.rendered} of ${report.routes} pages rendered, ${total} files) in ${ms}`,
  );
}
