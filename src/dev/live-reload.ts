import type { ServerResponse } from "node:http";
import { formatError } from "../errors/format.js";
import type { SiteError } from "../errors/site-error.js";

/** URLs the dev server answers itself; nothing a site can contain (output paths never start with "__"). */
export const EVENTS_PATH = "/__gazette/events";
export const CLIENT_PATH = "/__gazette/live-reload.js";

/** Injected into served HTML only (the files themselves stay production-identical). */
export const CLIENT_TAG = `<script src="${CLIENT_PATH}" defer></script>`;

export function injectClient(html: string): string {
  const at = html.lastIndexOf("</body>");
  return at === -1 ? html + CLIENT_TAG : html.slice(0, at) + CLIENT_TAG + html.slice(at);
}

export type LiveEvent =
  /** Pages changed: a page reloads when its own URL is among them (or `all`). */
  | { type: "reload"; urls: string[]; all: boolean; /** Pages that moved: their old URL, the new. */ moved: Record<string, string> }
  /** Only stylesheets changed: swap them in place (old href -> new href), keep scroll position and state. */
  | { type: "css"; swap: Record<string, string> }
  /** The last rebuild failed: show the overlay; the page stays as it was. (Not "error": EventSource uses that name.) */
  | { type: "build-error"; message: string }
  /** The build is good again: hide the overlay. */
  | { type: "ok" };

/** Server-Sent Events to every open dev page. */
export class LiveReloadHub {
  private readonly clients = new Set<ServerResponse>();
  private lastError: string | null = null;

  connect(response: ServerResponse): void {
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
    response.write("retry: 1000\n\n");
    this.clients.add(response);
    response.on("close", () => this.clients.delete(response));
    // A page opened while the build is broken shows the overlay at once.
    if (this.lastError !== null) this.sendTo(response, { type: "build-error", message: this.lastError });
  }

  send(event: LiveEvent): void {
    if (event.type === "build-error") this.lastError = event.message;
    else if (event.type === "ok" || event.type === "reload") this.lastError = null;
    for (const client of this.clients) this.sendTo(client, event);
  }

  /** Overlay text for build errors: what the terminal prints, file and line first. */
  static errorMessage(errors: readonly SiteError[]): string {
    return errors.map((error) => formatError(error)).join("\n\n");
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private sendTo(response: ServerResponse, event: LiveEvent): void {
    response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  }
}

/**
 * The browser side: listens for events, reloads when its page changed, swaps stylesheets, and
 * shows build errors in an overlay (text only: the message is never parsed as HTML).
 */
export const CLIENT_SCRIPT = `(() => {
  "use strict";
  const here = () => decodeURI(location.pathname);
  let overlay = null;
  function showError(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "gazette-dev-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 ui-monospace,monospace";
      const title = document.createElement("p");
      title.textContent = "Gazette: the last change did not build. The page shows the last good build.";
      title.style.cssText = "font-weight:bold;color:#ff8a80;margin:0 0 1rem";
      const pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      overlay.append(title, pre);
      document.body.append(overlay);
    }
    overlay.querySelector("pre").textContent = message;
  }
  function hideError() {
    if (overlay) overlay.remove();
    overlay = null;
  }
  const events = new EventSource(${JSON.stringify(EVENTS_PATH)});
  events.addEventListener("build-error", (e) => showError(JSON.parse(e.data).message));
  events.addEventListener("ok", hideError);
  events.addEventListener("reload", (e) => {
    const event = JSON.parse(e.data);
    hideError();
    const moved = event.moved && Object.hasOwn(event.moved, here()) ? event.moved[here()] : null;
    if (moved) location.replace(moved + location.search + location.hash);
    else if (event.all || event.urls.includes(here())) location.reload();
  });
  events.addEventListener("css", (e) => {
    const swap = JSON.parse(e.data).swap;
    document.querySelectorAll('link[rel="stylesheet"]').forEach((link) => {
      const next = swap[new URL(link.href).pathname];
      if (next) link.href = next;
    });
  });
})();
`;
