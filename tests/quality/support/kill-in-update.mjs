// Loaded with `node --import` into a `gazette build`: the build dies in the middle of updating
// its output in place, right after the Nth file was renamed from the staging folder into the
// output (output/update-in-place.ts).
//   GAZETTE_TEST_KILL_AT_MOVE=N   SIGKILL (nothing cleaned up)
//   GAZETTE_TEST_FAIL_AT_MOVE=N   the next rename fails with EIO (the build handles the error)
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const killAt = Number(process.env.GAZETTE_TEST_KILL_AT_MOVE);
const failAfter = Number(process.env.GAZETTE_TEST_FAIL_AT_MOVE);
const renameSync = fs.renameSync;
let moves = 0;
fs.renameSync = function renameThenMaybeDie(from, to) {
  const staged = String(from).includes(".gazette-tmp-");
  if (staged && moves === failAfter) {
    const error = new Error(`EIO: i/o error, rename '${from}' -> '${to}'`);
    throw Object.assign(error, { code: "EIO", errno: -5, syscall: "rename", path: String(from) });
  }
  const result = renameSync.call(this, from, to);
  if (staged && ++moves === killAt) process.kill(process.pid, "SIGKILL");
  return result;
};
syncBuiltinESMExports();
