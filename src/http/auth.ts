import type { FastifyInstance, RouteOptions } from "fastify";
import { roleAllows } from "../api-keys.js";
import type { ApiKeys } from "../api-keys.js";
import { ReputeError } from "../core/errors.js";
import type { ApiKeyRecord, ApiKeyRole } from "../store/api-key-record.js";

/**
 * Who may call a route: anyone (`public`), or a key of at least this role
 * (`read` < `app` < `admin`). Every route declares it in its config:
 * `{ config: { auth: "read" } }`.
 */
export type AuthLevel = "public" | ApiKeyRole;

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call the route (see AuthLevel); a route without one stops the server from starting. */
    auth?: AuthLevel;
  }
  interface FastifyRequest {
    /** The key the request authenticated with, or null (a public route, or an anonymous read). */
    apiKey: ApiKeyRecord | null;
  }
}

/** Options of the auth check. */
export interface AuthOptions {
  apiKeys: Pick<ApiKeys, "authenticate">;
  /** Let callers without a key use `read` routes (a key that is sent must still be valid). */
  publicReads: boolean;
}

/**
 * The level of a route registered by a third-party plugin, which cannot declare one:
 * the docs UI under /docs and the CORS preflight route are public (browsers send
 * preflights without credentials). Any other route without a level is refused.
 */
function pluginRouteLevel(route: RouteOptions): AuthLevel | undefined {
  if (route.url === "/docs" || route.url.startsWith("/docs/")) return "public";
  if (route.method === "OPTIONS" && route.url === "*") return "public";
  return undefined;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The service's auth comes in two halves. This one: every route must carry an auth
 * level, and a route registered without one throws at registration, so the server
 * cannot start with it; the level also documents the route in OpenAPI (its security
 * requirement and role). Register it before anything that adds routes (the CORS
 * plugin's preflight).
 */
export function registerAuthLevels(app: FastifyInstance, options: Pick<AuthOptions, "publicReads">): void {
  app.addHook("onRoute", (route) => {
    const level = route.config?.auth ?? pluginRouteLevel(route);
    if (level === undefined) throw new Error(`route ${String(route.method)} ${route.url} has no auth level: give it config.auth ("public" | "read" | "app" | "admin")`);
    route.config = { ...route.config, auth: level };
    if (route.schema !== undefined && !route.schema.hide) {
      const who = level === "public" ? "Public." : `Requires an API key with role \`${level}\` or stronger${level === "read" && options.publicReads ? " (or none: public reads are on)" : ""}.`;
      route.schema = {
        ...route.schema,
        description: route.schema.description === undefined ? who : `${route.schema.description}\n\n${who}`,
        // `{}` in the list: no key is also accepted.
        security: level === "public" ? [] : level === "read" && options.publicReads ? [{ apiKey: [] }, {}] : [{ apiKey: [] }],
      };
    }
  });
}

/**
 * The other half, the one auth check: an `onRequest` hook enforces the level before the
 * body is even read. No key (or a malformed header, or an unknown or revoked key) → 401
 * UNAUTHORIZED; a key whose role is too weak → 403 FORBIDDEN. Unknown routes skip the
 * check and answer 404. Hooks run in the order they were added, so one added before it
 * (CORS) still runs for a refused request.
 */
export function registerAuthCheck(app: FastifyInstance, options: AuthOptions): void {
  app.decorateRequest("apiKey", null);
  app.addHook("onRequest", async (request, reply) => {
    if (request.is404) return;
    const need = request.routeOptions.config.auth;
    if (need === undefined) throw new ReputeError("INTERNAL", `route ${request.routeOptions.url ?? "?"} has no auth level`);
    if (need === "public") return;
    const header = request.headers.authorization;
    if (header === undefined) {
      if (need === "read" && options.publicReads) return;
      reply.header("www-authenticate", 'Bearer realm="repute"');
      throw new ReputeError("UNAUTHORIZED", "an API key is required: send Authorization: Bearer <key>");
    }
    const secret = BEARER.exec(header)?.[1];
    const key = secret === undefined ? null : await options.apiKeys.authenticate(secret);
    if (key === null) {
      reply.header("www-authenticate", 'Bearer realm="repute", error="invalid_token"');
      throw new ReputeError("UNAUTHORIZED", secret === undefined ? "the Authorization header must be: Bearer <key>" : "the API key is unknown or revoked");
    }
    request.apiKey = key;
    if (!roleAllows(key.role, need)) {
      throw new ReputeError("FORBIDDEN", `the API key "${key.name}" has role ${key.role}; this route needs ${need}`, { key: key.name, role: key.role, required: need });
    }
  });
}
