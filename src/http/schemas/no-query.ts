import { z } from "zod";

/** The query of a route that takes none: any parameter is a 400, as every unknown field is (docs/http.md). */
export const noQuery = z.strictObject({});

/** The body of a POST that takes none: absent (null to Fastify), or `{}`. */
export const noBody = z.strictObject({}).nullish();
