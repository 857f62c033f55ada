// Loaded with `node --import` into a `gazette build`: the build kills itself (SIGKILL, nothing
// cleaned up) in the middle of updating its output in place, right after the Nth file was
// renamed from the staging folder into the output (output/update-in-place.ts).
//   GAZETTE_TEST_KILL_AT_MOVE=N
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const killAt = Number(process.env.GAZETTE_TEST_KILL_AT_MOVE);
const renameSync = fs.renameSync;
let moves = 0;
fs.renameSync = function renameThenMaybeDie(from, to) {
  const result = renameSync.call(this, from, to);
  if (String(from).includes(".gazette-tmp-") && ++moves === killAt) process.kill(process.pid, "SIGKILL");
  return result;
};
syncBuiltinESMExports();
