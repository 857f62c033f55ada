// Loaded with `node --import` into a `gazette build` to simulate a full disk: the build's writes
// into its temporary output folder throw ENOSPC, as writeFile does when the disk fills up (and
// link and copyFile, with which the build cache reuses the last output's unchanged pages).
//   GAZETTE_TEST_FAIL_WRITE_AT=N        the Nth write and every one after it fail (1-based)
//   GAZETTE_TEST_FAIL_WRITE_AT=marker   only the last write, the output marker on commit, fails
// Builtin ESM exports are bindings to the CommonJS module: syncBuiltinESMExports() makes the
// build's `import { writeFile } from "node:fs/promises"` see the replacement.
// Preloads do not run in worker threads: the write thread (src/output/write-thread.ts) is started
// through fail-writes-worker.mjs, which loads this file there first.
import fs from "node:fs";
import fsPromises from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
import workerThreads from "node:worker_threads";

const failAt = process.env.GAZETTE_TEST_FAIL_WRITE_AT ?? "";
const writeFile = fsPromises.writeFile;
let writes = 0;

function failIfFull(name, syscall) {
  if (!name.includes(".gazette-tmp-")) return;
  writes++;
  const fail = failAt === "marker" ? name.endsWith(".gazette-output") : writes >= Number(failAt);
  if (fail) {
    const error = new Error(`ENOSPC: no space left on device, ${syscall} '${name}'`);
    Object.assign(error, { code: "ENOSPC", errno: -28, syscall, path: name });
    throw error;
  }
}

fsPromises.writeFile = async function failingWriteFile(file, ...rest) {
  failIfFull(String(file), "write");
  return writeFile.call(this, file, ...rest);
};
const link = fsPromises.link;
fsPromises.link = async function failingLink(existing, target) {
  failIfFull(String(target), "link");
  return link.call(this, existing, target);
};
// The cache links synchronously (one short metadata call: see write-output.ts).
const linkSync = fs.linkSync;
fs.linkSync = function failingLinkSync(existing, target) {
  failIfFull(String(target), "link");
  return linkSync.call(this, existing, target);
};
// The write thread writes synchronously.
const writeFileSync = fs.writeFileSync;
fs.writeFileSync = function failingWriteFileSync(file, ...rest) {
  failIfFull(String(file), "write");
  return writeFileSync.call(this, file, ...rest);
};
const RealWorker = workerThreads.Worker;
const WORKER_SHIM = new URL("./fail-writes-worker.mjs", import.meta.url);
workerThreads.Worker = class FailingWritesWorker extends RealWorker {
  constructor(file, options = {}) {
    if (String(file).endsWith("/write-worker.js")) super(WORKER_SHIM, { ...options, workerData: { entry: String(file) } });
    else super(file, options);
  }
};
const copyFile = fsPromises.copyFile;
fsPromises.copyFile = async function failingCopyFile(source, target, ...rest) {
  failIfFull(String(target), "copyfile");
  return copyFile.call(this, source, target, ...rest);
};
syncBuiltinESMExports();
