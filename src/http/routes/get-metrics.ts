import type { AppInstance, RouteDeps } from "../app-instance.js";

/** `GET /metrics` (role admin): Prometheus text exposition (see Metrics for the series). */
export function register(app: AppInstance, { metrics }: RouteDeps): void {
  app.get(
    "/metrics",
    {
      config: { auth: "admin" },
      schema: { tags: ["operations"], summary: "Prometheus metrics (text format)", produces: ["text/plain"] },
    },
    async (_request, reply) => {
      reply.type(metrics.contentType);
      return metrics.text();
    },
  );
}
