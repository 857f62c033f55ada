import { stat } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../../config/load-config.js";
import { createStaticServer } from "../../dev/static-server.js";
import { listen } from "../../dev/listen.js";
import { SiteError, UsageError } from "../../errors/site-error.js";
import { intOption, type CommandSpec, type ParsedCommand } from "../args.js";

export const spec: CommandSpec = {
  name: "preview",
  summary: "Serve the built site (public/) as a static host would: pretty URLs, the 404 page, no live reload.",
  usage: "gazette preview [--port N] [--host H] [--out DIR]",
  options: { port: { type: "string" }, host: { type: "string" }, out: { type: "string" } },
  help: ["--port N          port (default 4321, or the next free one; 0: any free port)", "--host H          interface to listen on (default 127.0.0.1)", "--out DIR         folder to serve (default: public/)"],
};

export async function run(args: ParsedCommand): Promise<number> {
  const root = process.cwd();
  const config = await loadConfig(root, typeof args.values.out === "string" ? { out: path.relative(root, path.resolve(args.values.out)) || "." } : {});
  const outDir = path.resolve(root, config.paths.out);
  const info = await stat(outDir).catch(() => null);
  if (!info?.isDirectory()) throw new SiteError(`there is no built site in ${path.relative(root, outDir) || "."}/.`, { hint: "Run `npx gazette build` first." });
  const host = typeof args.values.host === "string" ? args.values.host : "127.0.0.1";
  const requested = intOption("port", args.values.port, 0, 65535);
  const server = createStaticServer({ root: outDir, host, port: requested ?? 4321 });
  let port: number;
  try {
    port = await listen(server, host, requested ?? 4321, requested !== undefined);
  } catch (error) {
    throw new UsageError(`cannot listen on ${host}:${requested ?? 4321} (${(error as NodeJS.ErrnoException).code ?? error}).`, { hint: "Choose another --port." });
  }
  if (requested === undefined && port !== 4321) process.stderr.write(`port 4321 is busy; using ${port}\n`);
  process.stderr.write(`preview: serving ${path.relative(root, outDir) || "."}/ at http://${host.includes(":") ? `[${host}]` : host}:${port}/ (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}
