import { hash } from "node:crypto";
import { readFileSync } from "node:fs";
import cors from "@fastify/cors";
import etag from "@fastify/etag";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { LogController } from "fastify";
import { type ZodTypeProvider, jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler } from "fastify-type-provider-zod";
import { ReputeError } from "../core/errors.js";
import { GroupCommit } from "../group-commit.js";
import type { Repute } from "../repute.js";
import type { AppInstance, RouteDeps } from "./app-instance.js";
import { type AuthLevel, registerAuthCheck, registerAuthLevels } from "./auth.js";
import { BODY_LIMIT, errorSender, registerErrorHandling } from "./error-handler.js";
import { Metrics } from "./metrics.js";
import { REQUEST_ID_HEADER, requestIdOf } from "./request-id.js";
import { register as getAction } from "./routes/get-action.js";
import { register as getAdminVerify } from "./routes/get-admin-verify.js";
import { register as getHealthz } from "./routes/get-healthz.js";
import { register as getLeaderboard } from "./routes/get-leaderboard.js";
import { register as getMetrics } from "./routes/get-metrics.js";
import { register as getOpenapi } from "./routes/get-openapi.js";
import { register as getReadyz } from "./routes/get-readyz.js";
import { register as getTopics } from "./routes/get-topics.js";
import { register as getUserHistory } from "./routes/get-user-history.js";
import { register as getUserRank } from "./routes/get-user-rank.js";
import { register as getUserReputation } from "./routes/get-user-reputation.js";
import { register as getUserTopicReputation } from "./routes/get-user-topic-reputation.js";
import { register as postActions } from "./routes/post-actions.js";
import { register as postAdminAdjustments } from "./routes/post-admin-adjustments.js";
import { register as postAdminRebuild } from "./routes/post-admin-rebuild.js";
import { register as postTopics } from "./routes/post-topics.js";
import { errorBodySchema } from "./schemas/error-body-schema.js";
import type { ServerConfig } from "./server-config.js";
import { validatorCompiler } from "./zod-validator.js";
import { clientErrorHandler } from "./client-error.js";
import { namesTag } from "./if-none-match.js";
import { noQuery } from "./schemas/no-query.js";

/** What the app is built on. */
export interface AppDeps {
  repute: Repute;
  /** Default: one built from the config's group-commit settings. */
  groupCommit?: GroupCommit;
  /** Default: fresh metrics without process metrics. */
  metrics?: Metrics;
  /** Where the JSON log lines go (default stdout). */
  logStream?: { write(line: string): void };
}

/** A route as registered: the auth matrix test checks it covers every one. */
export interface RegisteredRoute {
  method: string;
  url: string;
  auth: AuthLevel;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every route of the app, with its auth level. */
    routeList: readonly RegisteredRoute[];
    /** The group committer submissions go through. */
    groupCommit: GroupCommit;
    /** The app's Prometheus metrics. */
    metrics: Metrics;
  }
}

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

/**
 * Builds the HTTP service on an opened engine: Fastify with zod schemas as the one
 * source of validation, types and the OpenAPI document, the auth check on every route,
 * the error catalogue's statuses, metrics, rate limits, CORS and ETags. Every route is
 * registered below, one file each under `routes/`. The caller listens and closes;
 * closing drains the group committer (the caller then closes the engine).
 *
 * @example
 * const app = await buildApp({ repute }, parseServerConfig({}, process.env));
 * await app.listen({ port: 4000 });
 */
export async function buildApp(deps: AppDeps, config: ServerConfig): Promise<AppInstance> {
  const { repute } = deps;
  const metrics = deps.metrics ?? new Metrics();
  const groupCommit =
    deps.groupCommit ??
    // The action route parses bodies with the engine's own schema: no need to parse them twice.
    new GroupCommit(repute, {
      enabled: config.groupCommit === "on",
      maxUnits: config.groupCommitMax,
      windowMs: config.groupCommitWindowMs,
      maxPending: config.groupCommitMaxPending,
      validated: true,
    });
  groupCommit.onFlush((flush) => metrics.flushed(flush));
  metrics.watchBacklog(() => groupCommit.pendingActions);
  const sendError = errorSender(metrics);

  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: ["req.headers.authorization"], censor: "[redacted]" },
      ...(deps.logStream === undefined ? {} : { stream: deps.logStream }),
    },
    logController: new LogController({
      requestIdLogLabel: "requestId",
      // Probes poll these every few seconds; their lines would drown the rest.
      disableRequestLogging: (request) => /^\/(healthz|readyz)(\?|$)/.test(request.url),
    }),
    genReqId: requestIdOf,
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT,
    // Bodies are parsed as plain JSON.parse does: a "__proto__" or "constructor" key stays an
    // own key, and the schemas refuse it where it does not belong (an unknown field; in
    // `data`, a "__proto__" key), with its path, as the library and the CLI do. Nothing copies
    // a body before the schemas have parsed it.
    onProtoPoisoning: "ignore",
    onConstructorPoisoning: "ignore",
    // Path ids may be 255 characters (the router counts them decoded); longer ones are
    // refused by the schemas with 400, and past this limit by the router, also with 400.
    routerOptions: { maxParamLength: 1024 },
    // URLs the router cannot read (bad encoding, a parameter over the length limit).
    // They reach no route, so no onResponse hook counts them: they are counted here.
    frameworkErrors: (error, request, reply) => {
      void sendError(error, request, reply);
      metrics.request(request.method, "(unmatched)", reply.statusCode, reply.elapsedTime / 1000);
    },
    // Requests Node's HTTP parser cannot read never reach the router.
    clientErrorHandler: clientErrorHandler(metrics),
    // Requests that arrive while closing get our own 503 (see the onRequest hook).
    return503OnClosing: false,
    // A request whose headers and body do not arrive in time is answered 400 and its
    // connection closed (client-error.ts): a stalled body holds no connection for good.
    requestTimeout: config.requestTimeoutMs,
    exposeHeadRoutes: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  // Responses are checked against their schemas when asked (the tests do); otherwise plain JSON.
  app.setSerializerCompiler(config.checkResponses ? serializerCompiler : () => (data) => JSON.stringify(data));
  // Bodies are JSON only: anything else is 415 UNSUPPORTED_MEDIA_TYPE.
  app.removeContentTypeParser("text/plain");
  registerAuthLevels(app, { publicReads: config.publicReads });
  const routeList: RegisteredRoute[] = [];
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) routeList.push({ method, url: route.url, auth: route.config?.auth as AuthLevel });
    // Document the error answers of every documented route.
    if (route.schema?.response !== undefined && !route.schema.hide) {
      route.schema = { ...route.schema, response: { ...(route.schema.response as object), "4xx": errorBodySchema, "5xx": errorBodySchema } };
    }
    // Every /v1 route's query is strict: one that takes no parameters refuses any.
    if (route.url.startsWith("/v1/") && route.schema !== undefined && route.schema.querystring === undefined) {
      route.schema = { ...route.schema, querystring: noQuery };
    }
  });
  // The request id first of all, so a preflight that CORS answers carries it too.
  app.addHook("onRequest", async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  // CORS next, so its headers are on every answer a browser may read: a 401 or 403 of
  // the auth check and the 503 of a closing server included.
  if (config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: config.corsOrigins.includes("*") ? "*" : [...config.corsOrigins],
      // The methods the service serves (it has no HEAD routes).
      methods: ["GET", "POST"],
      exposedHeaders: [REQUEST_ID_HEADER, "repute-replay", "retry-after", "etag"],
    });
  }

  let closing = false;
  // Requests between onRequest and their answer. Once none is left while closing, every
  // connection still open is ended: one that never brings a whole request (a pool's
  // pre-opened socket, half-sent headers) would otherwise hold the close open for good.
  // First the event loop turns once more, so a request whose bytes reached the server
  // meanwhile is read and answered (503) rather than dropped with its connection.
  const inFlight = new Set<object>();
  let ending = false;
  const endIdle = () => {
    if (!closing || ending || inFlight.size > 0) return;
    ending = true;
    setImmediate(() =>
      setImmediate(() => {
        ending = false;
        if (inFlight.size === 0) app.server.closeAllConnections();
      }),
    );
  };
  const settle = (request: { raw: object }) => {
    if (inFlight.delete(request.raw)) endIdle();
  };
  app.addHook("preClose", async () => {
    closing = true;
    // After this hook Fastify stops listening; the connections left are ended once idle.
    setImmediate(endIdle);
    // A request in flight that never completes (a body that stalls) must not hold the
    // stop open: past the deadline every connection is ended. What was committed stays.
    setTimeout(() => app.server.closeAllConnections(), config.shutdownTimeoutMs).unref();
  });
  app.addHook("onClose", async () => {
    await groupCommit.drain();
  });
  app.addHook("onRequest", async (request, reply) => {
    inFlight.add(request.raw);
    reply.header("cache-control", "no-store");
    if (closing) throw new ReputeError("SERVICE_UNAVAILABLE", "the server is shutting down; retry against another instance");
  });
  app.addHook("onRequestAbort", async (request) => settle(request));
  app.addHook("onSend", async (_request, reply, payload) => {
    // Answers sent while closing end their connection, so the server stops as soon as
    // the requests in flight are answered instead of waiting for idle keep-alive sockets.
    if (closing) reply.header("connection", "close");
    return payload;
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.request(request.method, request.routeOptions.url ?? "(unmatched)", reply.statusCode, reply.elapsedTime / 1000);
    settle(request);
  });
  registerErrorHandling(app, sendError);
  registerAuthCheck(app, { apiKeys: repute.apiKeys, publicReads: config.publicReads });

  app.decorate("routeList", routeList);
  app.decorate("groupCommit", groupCommit);
  app.decorate("metrics", metrics);

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Repute",
        version: pkg.version,
        description: "A reputation engine for community software. Send API keys as `Authorization: Bearer <key>`; errors are `{ error: { code, message, requestId, details? } }`.",
      },
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key made with `repute keys create --name NAME --role read|app|admin`." } } },
      tags: [
        { name: "actions", description: "Report what users do" },
        { name: "reputation", description: "A user's points, levels and history" },
        { name: "leaderboards", description: "Who leads a topic" },
        { name: "topics", description: "The topic tree" },
        { name: "admin", description: "Manual changes and ledger maintenance" },
        { name: "operations", description: "Health, readiness, metrics, this document" },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  if (config.rateLimit > 0) {
    await app.register(rateLimit, {
      max: config.rateLimit,
      timeWindow: 60_000,
      // Per key; callers without one share a limit per address. Runs after the auth check.
      keyGenerator: (request) => (request.apiKey === null ? `ip:${request.ip}` : `key:${request.apiKey.id}`),
      errorResponseBuilder: (_request, context) =>
        new ReputeError("RATE_LIMITED", `more than ${context.max} requests in a minute; retry in ${context.after}`, { limit: context.max, retryAfterSeconds: Math.ceil(context.ttl / 1000) }),
    });
  }

  const routeDeps: RouteDeps = { repute, groupCommit, metrics, closing: () => closing };

  // Operations and documentation.
  getHealthz(app, routeDeps);
  getReadyz(app, routeDeps);
  getMetrics(app, routeDeps);
  getOpenapi(app, routeDeps);
  await app.register(swaggerUi, { routePrefix: "/docs" });

  // Reads: revalidated with ETags (If-None-Match → 304), never stored by shared caches.
  await app.register(async (reads: AppInstance) => {
    // The plugin's own SHA-1 (base64), in one `crypto.hash` call instead of a Hash object a response: the same tags.
    await reads.register(etag, { hashFn: (payload: string | Buffer) => hash("sha1", payload, "base64") });
    reads.addHook("onRequest", async (_request, reply) => {
      reply.header("cache-control", "private, no-cache");
    });
    // Runs after the ETag plugin's hook: an error is never a representation to revalidate,
    // and a list of tags (or `*`) in If-None-Match revalidates as a single tag does.
    reads.addHook("onSend", async (request, reply, payload) => {
      if (reply.statusCode >= 400) {
        reply.removeHeader("etag");
        return payload;
      }
      const tag = reply.getHeader("etag");
      if (reply.statusCode !== 200 || typeof tag !== "string" || !namesTag(request.headers["if-none-match"], tag)) return payload;
      reply.code(304);
      return "";
    });
    getAction(reads, routeDeps);
    getUserReputation(reads, routeDeps);
    getUserTopicReputation(reads, routeDeps);
    getUserHistory(reads, routeDeps);
    getLeaderboard(reads, routeDeps);
    getUserRank(reads, routeDeps);
    getTopics(reads, routeDeps);
  });

  // Writes and administration: Cache-Control: no-store.
  postActions(app, routeDeps);
  postTopics(app, routeDeps);
  postAdminAdjustments(app, routeDeps);
  postAdminRebuild(app, routeDeps);
  getAdminVerify(app, routeDeps);

  await app.ready();
  return app;
}
