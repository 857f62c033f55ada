import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "../../helpers/temp-site.js";

export const GAZETTE_BIN = path.join(REPO_ROOT, "bin/gazette.js");

/** A fixed build date, so that two builds of the same input are byte-identical (2025-08-21). */
export const FIXED_EPOCH = "1755734400";

/** A Node stack frame (`    at fn (file.js:1:2)`): users must never see one. */
export const STACK_FRAME = /\n\s+at .*(?:\(|\s)(?:file:|node:|\/)[^\n]*:\d+(?::\d+)?\)?/;

export interface CliRun {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Flags for node itself, before the script (`--import ./preload.mjs`). */
  nodeArgs?: string[];
  /** Called once the process has started (tests that kill it mid-build). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Every child still running: `killRunning()` in afterEach/afterAll ends what a timed-out test left. */
const running = new Set<ChildProcess>();

/**
 * Runs the compiled CLI as `npx gazette` would, with the fixed build date.
 * Never rejects: exit code, signal and output come back for the test to judge. There is no timeout
 * here on purpose: a hang fails the test through vitest's own per-test timeout.
 */
export function runGazette(args: string[], options: CliOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), GAZETTE_BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, SOURCE_DATE_EPOCH: FIXED_EPOCH, NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => {
      running.delete(child);
      reject(error);
    });
    child.on("close", (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
    options.onSpawn?.(child);
  });
}

/** Kills the builds this test file started that are still running (a test that timed out). */
export function killRunning(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

/** What a user sees must never be one of our bugs: no "Internal error", no stack frames. */
export function userFacingProblems(run: CliRun): string[] {
  const problems: string[] = [];
  const output = `${run.stdout}\n${run.stderr}`;
  if (/Internal error/.test(output)) problems.push(`an internal error: ${firstLines(output)}`);
  if (STACK_FRAME.test(output)) problems.push(`a stack trace: ${firstLines(output)}`);
  if (run.signal !== null) problems.push(`killed by ${run.signal}`);
  return problems;
}

function firstLines(text: string): string {
  return text.trim().split("\n").slice(0, 6).join("\n");
}
