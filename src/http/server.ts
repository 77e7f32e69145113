import type { AddressInfo } from "node:net";
import { ReputeError } from "../core/errors.js";
import type { Repute } from "../repute.js";
import type { AppInstance } from "./app-instance.js";
import { type AppDeps, buildApp } from "./app.js";
import { Metrics } from "./metrics.js";
import type { ServerConfig } from "./server-config.js";

/** A listening server. */
export interface RunningServer {
  app: AppInstance;
  /** Where it listens, e.g. `http://127.0.0.1:4000` (the real port when PORT is 0). */
  url: string;
  /**
   * Graceful stop: refuses new connections (requests on open ones get 503), lets
   * in-flight requests finish — their group-commit transactions included — then
   * resolves. The engine stays open: its opener closes it.
   */
  stop(): Promise<void>;
}

/**
 * Builds the app on an opened engine (with process metrics) and listens on the
 * configured host and port.
 *
 * @example
 * const server = await startServer(repute, parseServerConfig({ port: "0" }, process.env));
 * await fetch(`${server.url}/healthz`);
 * await server.stop();
 * await repute.close();
 */
export async function startServer(repute: Repute, config: ServerConfig, deps: Omit<AppDeps, "repute"> = {}): Promise<RunningServer> {
  const app = await buildApp({ metrics: new Metrics({ processMetrics: true }), ...deps, repute }, config);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app.close();
    // A port in use or a host that does not resolve: the settings cannot be served.
    const code = (e as { code?: unknown }).code;
    throw new ReputeError("CONFIG_INVALID", `cannot listen on ${config.host}:${config.port}: ${(e as Error).message}`, { host: config.host, port: config.port, ...(typeof code === "string" ? { errno: code } : {}) }, { cause: e });
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    app,
    url: `http://${host}:${address.port}`,
    async stop() {
      await app.close();
      await app.groupCommit.drain();
    },
  };
}
