import { spawnSync } from "node:child_process";
import { symlink } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { buildSite } from "../../../src/build.js";
import { formatError } from "../../../src/errors/format.js";
import { reviveError, serializeError } from "../../../src/errors/serialize.js";
import { BuildFailedError, ContentError, SiteError } from "../../../src/errors/site-error.js";
import { REPO_ROOT, article, makeTempSite, removeTempSite } from "../../helpers/temp-site.js";

let root: string | null = null;
afterEach(async () => {
  if (root) await removeTempSite(root);
  root = null;
});

describe("errors across threads", () => {
  test("an error's class, location, hint and causes survive the trip, and print the same", () => {
    const io = new Error("EACCES: permission denied, open 'articles/a/de.md'", { cause: "the disk said no" });
    const error = new ContentError("the file cannot be read (EACCES).", { location: { file: "articles/a/de.md" }, hint: "Check its permissions.", cause: io });
    const data = serializeError(error);
    expect(data.causes).toEqual(["EACCES: permission denied, open 'articles/a/de.md'", "the disk said no"]);
    const revived = reviveError(structuredClone(data));
    expect(revived).toBeInstanceOf(ContentError);
    expect(revived.location).toEqual({ file: "articles/a/de.md" });
    expect(formatError(revived)).toBe(formatError(error));
    expect(formatError(revived)).toContain("caused by: EACCES: permission denied");
  });

  test("an error without a cause has none after the trip", () => {
    const data = serializeError(new SiteError("plain"));
    expect("causes" in data).toBe(false);
    expect(reviveError(data).cause).toBeUndefined();
  });

  test("a build with the cache reports the cause of a listing error, from this thread or the scan's", async () => {
    root = await makeTempSite({ "articles/eins/de.md": article({ title: "Eins", date: "2025-01-01" }) });
    await symlink(path.join(root, "nowhere.md"), path.join(root, "articles/eins/en.md"));
    const failure = await buildSite({ root, cache: true }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(BuildFailedError);
    const printed = (failure as BuildFailedError).errors.map(formatError).join("\n");
    expect(printed).toMatch(/the link points to a missing file \(ENOENT\)/);
    expect(printed).toMatch(/caused by: ENOENT: no such file or directory/);
    // The command, its content listed on a thread of its own (the compiled worker): the same report.
    const cli = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin/gazette.js"), "build"], { cwd: root, encoding: "utf8", env: { ...process.env, GAZETTE_SCAN_THREAD: "1" } });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/the link points to a missing file \(ENOENT\)\.\n\s+caused by: ENOENT: no such file or directory/);
  });
});
