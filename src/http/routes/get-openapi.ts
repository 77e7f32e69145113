import type { AppInstance, RouteDeps } from "../app-instance.js";

/** `GET /openapi.json` (public): the OpenAPI 3.1 document, generated from the routes' zod schemas. */
export function register(app: AppInstance, _deps: RouteDeps): void {
  app.get(
    "/openapi.json",
    { config: { auth: "public" }, schema: { tags: ["operations"], summary: "This API's OpenAPI 3.1 document" } },
    async () => app.swagger(),
  );
}
