import { startDevServer } from "../../dev/dev-server.js";
import { UsageError } from "../../errors/site-error.js";
import { intOption, type CommandSpec, type ParsedCommand } from "../args.js";

export const spec: CommandSpec = {
  name: "dev",
  summary: "Build, serve and watch: rebuilds what a change affects and reloads the browser; errors show in page and terminal.",
  usage: "gazette dev [--port N] [--host H] [--content DIR] [--out DIR] [--drafts] [--open]",
  options: {
    port: { type: "string" },
    host: { type: "string" },
    out: { type: "string" },
    drafts: { type: "boolean" },
    open: { type: "boolean" },
  },
  help: [
    "--port N          port (default 4321, or the next free one; 0: any free port)",
    "--host H          interface to listen on (default 127.0.0.1)",
    "--out DIR         also write every good build to DIR (default: the site is served from memory, public/ is left alone)",
    "--drafts          include drafts and articles dated in the future",
    "--open            open the site in the default browser",
  ],
};

export async function run(args: ParsedCommand): Promise<number> {
  const { values } = args;
  const host = typeof values.host === "string" ? values.host : "127.0.0.1";
  const requested = intOption("port", values.port, 0, 65535);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let server;
  try {
    server = await startDevServer({
      root: process.cwd(),
      ...(typeof values.content === "string" ? { content: values.content } : {}),
      ...(typeof values.out === "string" ? { out: values.out } : {}),
      drafts: values.drafts === true,
      host,
      port: requested ?? 4321,
      strictPort: requested !== undefined,
      log,
      // Said as soon as pages can be served: a large site's first build goes on meanwhile.
      onListening: (url) => {
        const port = Number(new URL(url).port);
        if (requested === undefined && port !== 4321) log(`port 4321 is busy; using ${port}`);
        log(`dev: serving ${url}`);
        if (values.open === true) openBrowser(url);
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
      throw new UsageError(`cannot listen on ${host}:${requested ?? 4321} (${code}).`, { hint: "Choose another --port or --host." });
    }
    throw error;
  }
  log(`dev: watching for changes (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      log("dev: stopping");
      void server.close().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

function openBrowser(url: string): void {
  void import("node:child_process").then(({ spawn }) => {
    const command = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
    const child = spawn(command, [url], { stdio: "ignore", detached: true });
    child.on("error", () => process.stderr.write(`dev: could not open a browser; visit ${url}\n`));
    child.unref();
  });
}
