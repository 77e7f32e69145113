import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** The built CLI, as a user runs it. */
export const BIN = resolve("dist/cli/main.js");

/** Fails early, and clearly, when the CLI has not been built. */
export function requireBuiltCli(): void {
  if (!existsSync(BIN)) throw new Error("dist/cli/main.js is missing: run `npm run build` first (npm test does)");
}

/** The test's environment with the database, config and every server setting cleared, so the developer's shell does not leak into a CLI or server child. */
export const baseEnv = (): Record<string, string | undefined> => ({
  ...process.env,
  REPUTE_DB: "",
  REPUTE_CONFIG: "",
  PORT: "",
  HOST: "",
  LOG_LEVEL: "warn",
  REPUTE_RATE_LIMIT: "",
  REPUTE_PUBLIC_READS: "",
});

/** A `repute serve` child process that is listening. */
export interface ServeChild {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/** Starts `repute serve` (or `command`) on a free port in `cwd`; resolves once it listens. */
export function serve(env: Record<string, string>, cwd: string, command: string[] = [process.execPath, BIN, "serve"]): Promise<ServeChild> {
  const child = spawn(command[0] as string, command.slice(1), { cwd, env: { ...baseEnv(), PORT: "0", HOST: "127.0.0.1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on("exit", (code, signal) => done({ code, signal })));
  return new Promise((resolveUrl, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      const m = /^repute listening on (http:\/\/\S+)$/m.exec(stdout);
      if (m) resolveUrl({ child, url: m[1] as string, exited, stdout: () => stdout, stderr: () => stderr });
    });
    void exited.then(({ code }) => reject(new Error(`repute serve exited ${code} before listening: ${stderr}`)));
  });
}

/** Whether a process with this pid is still running. */
export function isAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs every server in `servers` and waits for each to exit, emptying the list: a failed test leaves none running. */
export async function killAll(servers: ServeChild[]): Promise<void> {
  for (const server of servers.splice(0)) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
}
