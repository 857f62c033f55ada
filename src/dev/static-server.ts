import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import { isInside } from "../util/paths.js";

/** Content types of what a Gazette site contains; anything else is served as bytes. */
const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".pf_meta": "application/octet-stream",
  ".pf_index": "application/octet-stream",
  ".pf_fragment": "application/octet-stream",
  ".pagefind": "application/octet-stream",
};

export function contentTypeOf(file: string): string {
  const name = path.basename(file);
  if (name === "feed.xml") return "application/rss+xml; charset=utf-8";
  if (name === "atom.xml") return "application/atom+xml; charset=utf-8";
  if (name === "feed.json") return "application/feed+json; charset=utf-8";
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

export type ResolvedRequest =
  | { kind: "file"; file: string; status: 200 | 404 }
  | { kind: "redirect"; location: string }
  | { kind: "bad-request" }
  | { kind: "not-found" };

/**
 * Maps a URL path to a file under `root` the way static hosts do: `/de/x/` -> de/x/index.html,
 * `/de/x` -> redirect to `/de/x/` when that is a folder, missing -> 404.html with status 404.
 * Traversal (`/../`, `%2e%2e`, encoded slashes, NUL, backslashes) is refused before touching disk,
 * and symlinks may not lead out of `root`.
 */
export async function resolveRequest(root: string, rawUrl: string): Promise<ResolvedRequest> {
  const realRoot = await realpath(root);
  const parsed = parseRequestPath(rawUrl);
  if (parsed === "bad-request") return { kind: "bad-request" };
  if (parsed === "hidden") return notFound(realRoot);
  const { pathname, segments } = parsed;

  const candidate = path.join(realRoot, ...segments);
  if (!isInside(realRoot, candidate)) return { kind: "bad-request" };
  const found = await fileAt(realRoot, candidate);
  if (found === "dir") {
    if (!pathname.endsWith("/")) return { kind: "redirect", location: `${pathname}/` };
    const index = await fileAt(realRoot, path.join(candidate, "index.html"));
    if (index === "file") return { kind: "file", file: path.join(candidate, "index.html"), status: 200 };
    return notFound(realRoot);
  }
  if (found === "file") return { kind: "file", file: candidate, status: 200 };
  return notFound(realRoot);
}

/**
 * The decoded path of a request URL and its segments, or why it is refused: traversal (`..`, `.`,
 * encoded slashes or backslashes, NUL) is a bad request; dotfiles (`.gazette-output`) are hidden.
 */
export function parseRequestPath(rawUrl: string): { pathname: string; segments: string[] } | "bad-request" | "hidden" {
  let pathname: string;
  try {
    // Prefixed rather than resolved: "//host/x" is a path here, not a protocol-relative URL.
    pathname = decodeURIComponent(new URL(rawUrl.startsWith("/") ? `http://localhost${rawUrl}` : rawUrl, "http://localhost").pathname);
  } catch {
    return "bad-request";
  }
  if (pathname.includes("\0") || pathname.includes("\\") || /%2f|%5c/i.test(rawUrl)) return "bad-request";
  const segments = pathname.split("/");
  if (segments.some((segment) => segment === ".." || segment === ".")) return "bad-request";
  if (segments.some((segment) => segment.startsWith(".") && segment !== "")) return "hidden";
  return { pathname, segments };
}

async function notFound(realRoot: string): Promise<ResolvedRequest> {
  const page = path.join(realRoot, "404.html");
  return (await fileAt(realRoot, page)) === "file" ? { kind: "file", file: page, status: 404 } : { kind: "not-found" };
}

async function fileAt(realRoot: string, candidate: string): Promise<"file" | "dir" | null> {
  try {
    const real = await realpath(candidate);
    if (!isInside(realRoot, real)) return null;
    const info = await stat(real);
    return info.isDirectory() ? "dir" : info.isFile() ? "file" : null;
  } catch {
    return null;
  }
}

export interface StaticServerOptions {
  /** Folder to serve. */
  root: string;
  port: number;
  host: string;
  /** Dev mode: no caching, and a hook to transform HTML (live-reload injection). */
  noCache?: boolean;
  transformHtml?: (html: string) => string;
  /** Extra routes handled before files (e.g. the live-reload event stream). Return true when handled. */
  intercept?: (request: IncomingMessage, response: ServerResponse) => boolean;
}

export function createStaticServer(options: StaticServerOptions): Server {
  return createServer((request, response) => {
    void handle(request, response, options).catch(() => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      response.end("Internal server error\n");
    });
  });
}

async function handle(request: IncomingMessage, response: ServerResponse, options: StaticServerOptions): Promise<void> {
  if (options.intercept?.(request, response)) return;
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
    response.end("Method not allowed\n");
    return;
  }
  const resolved = await resolveRequest(options.root, request.url ?? "/");
  switch (resolved.kind) {
    case "bad-request":
      response.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
      response.end("Bad request\n");
      return;
    case "not-found":
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      response.end("Not found\n");
      return;
    case "redirect":
      response.writeHead(301, { location: encodeURI(resolved.location) });
      response.end();
      return;
    case "file":
      await sendFile(request, response, resolved.file, resolved.status, options);
      return;
  }
}

async function sendFile(request: IncomingMessage, response: ServerResponse, file: string, status: number, options: StaticServerOptions): Promise<void> {
  const info = await stat(file);
  const type = contentTypeOf(file);
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = { "content-type": type, "x-content-type-options": "nosniff" };
  if (options.noCache) headers["cache-control"] = "no-cache";
  else {
    headers.etag = etag;
    headers["last-modified"] = info.mtime.toUTCString();
    // Fingerprinted assets never change under one name.
    headers["cache-control"] = /\/assets\/[^/]+\.[0-9a-f]{8}\.\w+$/.test(file) ? "public, max-age=31536000, immutable" : "no-cache";
    if (status === 200 && request.headers["if-none-match"] === etag) {
      response.writeHead(304, headers);
      response.end();
      return;
    }
  }
  if (options.transformHtml && type.startsWith("text/html")) {
    const { readFile } = await import("node:fs/promises");
    const body = Buffer.from(options.transformHtml(await readFile(file, "utf8")));
    headers["content-length"] = String(body.length);
    response.writeHead(status, headers);
    response.end(request.method === "HEAD" ? undefined : body);
    return;
  }
  headers["content-length"] = String(info.size);
  response.writeHead(status, headers);
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  createReadStream(file).pipe(response);
}
