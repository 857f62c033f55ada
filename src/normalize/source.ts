import type { SourceRef } from "../types.js";
import { isPlainObject } from "../util/text.js";
import { cleanLine } from "./clean-text.js";

export type SourceResult = { ok: true; source: SourceRef } | { ok: false; message: string; hint: string };

const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}(?:\/\S*)?$/i;

/**
 * A source as delivered -> {name, url}:
 *   "IT BOLTWISE" -> {name: "IT BOLTWISE", url: null}
 *   "https://www.rosenheim24.de/politik/x.html" -> {name: "rosenheim24.de", url: "https://www.rosenheim24.de/politik/x.html"}
 *   "www.rosenheim24.de" -> {name: "rosenheim24.de", url: "https://www.rosenheim24.de/"}
 *   {name: "EFE", url: "https://efe.com"} -> as given, URL checked
 * Only http(s) URLs are accepted: a `javascript:` link must never reach a page.
 */
export function parseSource(value: unknown): SourceResult {
  if (typeof value === "string") {
    const text = cleanLine(value).text;
    if (text === "") return { ok: false, message: "is empty", hint: "Give the source's name or URL, or remove the field." };
    if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^https?:\/\//i.test(text) && !/^[^:]+:\s/.test(text)) {
      return { ok: false, message: `"${text}" is not an http(s) URL`, hint: "Use a link starting with https://." };
    }
    const url = toUrl(text);
    if (url) return { ok: true, source: { name: nameFromHost(url), url } };
    return { ok: true, source: { name: text, url: null } };
  }
  if (isPlainObject(value)) {
    const rawName = value.name;
    const rawUrl = value.url;
    if (rawName !== undefined && typeof rawName !== "string") return { ok: false, message: "has a name that is not text", hint: "Write source: { name: Agency, url: https://… }." };
    if (rawUrl !== undefined && rawUrl !== null && typeof rawUrl !== "string") return { ok: false, message: "has a url that is not text", hint: "Write source: { name: Agency, url: https://… }." };
    let url: string | null = null;
    if (typeof rawUrl === "string" && rawUrl.trim() !== "") {
      url = toUrl(rawUrl.trim());
      if (!url) return { ok: false, message: `has a url "${rawUrl}" that is not an http(s) URL`, hint: "Use a link starting with https://." };
    }
    const name = typeof rawName === "string" ? cleanLine(rawName).text : "";
    if (name === "" && url === null) return { ok: false, message: "has neither a name nor a url", hint: "Write source: { name: Agency, url: https://… }." };
    return { ok: true, source: { name: name || nameFromHost(url!), url } };
  }
  return { ok: false, message: "is neither a name, a URL nor {name, url}", hint: "Write source: Agency, or source: { name: Agency, url: https://… }." };
}

function toUrl(text: string): string | null {
  const candidate = /^https?:\/\//i.test(text) ? text : DOMAIN.test(text) && !/\s/.test(text) ? `https://${text}` : null;
  if (!candidate) return null;
  try {
    const url = new URL(candidate);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (!url.hostname.includes(".")) return null;
    return url.href;
  } catch {
    return null;
  }
}

function nameFromHost(url: string): string {
  return new URL(url).hostname.replace(/^www\d?\./, "");
}
