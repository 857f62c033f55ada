import type { Server } from "node:http";

/**
 * Listens on `port`, or the next free one when it is taken (up to 20 tries), and says which.
 * An explicit --port that is taken is an error instead: the user asked for that port.
 */
export async function listen(server: Server, host: string, port: number, strict: boolean): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const candidate = port + attempt;
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => {
          server.off("listening", onListening);
          reject(error);
        };
        const onListening = () => {
          server.off("error", onError);
          resolve();
        };
        server.once("error", onError);
        server.once("listening", onListening);
        server.listen(candidate, host);
      });
      const address = server.address();
      return typeof address === "object" && address ? address.port : candidate;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EADDRINUSE" || strict) throw error;
    }
  }
  throw new Error(`no free port in ${port}–${port + 19}`);
}
