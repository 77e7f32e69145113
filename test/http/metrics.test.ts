import { afterEach, describe, expect, it } from "vitest";
import { Metrics } from "../../src/http/metrics.js";
import { type HttpFixture, httpFixture, upvote } from "./http-fixture.js";

let f: HttpFixture;
afterEach(async () => {
  await f?.close();
});

/** The value of one series in Prometheus text, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  it("exposes requests and latency per route, actions ingested, batch sizes and errors by code", async () => {
    f = await httpFixture();
    const submit = (payload: object) => f.request({ method: "POST", url: "/v1/actions", payload, as: "app" });
    await submit(upvote("v1"));
    await submit(upvote("v1"));
    await submit({ actions: [upvote("v2", "1"), upvote("v3", "2"), upvote("v2", "1")] });
    await submit({ id: "x" });
    await f.request({ url: "/v1/users/7/reputation", as: "read" });
    await f.request({ url: "/no/such/route", as: "read" });
    // A path the router cannot read reaches no route, and is counted all the same.
    await f.request({ url: "/v1/users/%E0%A4%A/reputation", as: "read" });

    const r = await f.request({ url: "/metrics" });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = r.body;
    expect(sample(text, 'repute_http_requests_total{method="POST",route="/v1/actions",status="201"}')).toBe(2);
    expect(sample(text, 'repute_http_requests_total{method="POST",route="/v1/actions",status="200"}')).toBe(1);
    expect(sample(text, 'repute_http_requests_total{method="POST",route="/v1/actions",status="400"}')).toBe(1);
    expect(sample(text, 'repute_http_requests_total{method="GET",route="/v1/users/:id/reputation",status="200"}')).toBe(1);
    expect(sample(text, 'repute_http_requests_total{method="GET",route="(unmatched)",status="404"}')).toBe(1);
    expect(sample(text, 'repute_http_requests_total{method="GET",route="(unmatched)",status="400"}')).toBe(1);
    expect(sample(text, 'repute_http_request_duration_seconds_count{method="POST",route="/v1/actions",status="201"}')).toBe(2);
    expect(text).toMatch(/^repute_http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/v1\/actions",status="201"\} \d+$/m);
    expect(sample(text, 'repute_actions_ingested_total{outcome="new"}')).toBe(3);
    expect(sample(text, 'repute_actions_ingested_total{outcome="replay"}')).toBe(2);
    expect(sample(text, "repute_group_commit_transactions_total")).toBe(3);
    expect(sample(text, "repute_group_commit_units_count")).toBe(3);
    expect(sample(text, "repute_group_commit_actions_sum")).toBe(5);
    expect(sample(text, 'repute_errors_total{code="VALIDATION_FAILED"}')).toBe(2); // the body without a type, the unreadable path
    expect(sample(text, 'repute_errors_total{code="NOT_FOUND"}')).toBe(1);
    expect(sample(text, 'repute_errors_total{code="RATE_LIMITED"}')).toBe(0);
  });
});

describe("Metrics", () => {
  it("adds the process's metrics when asked (the server does)", async () => {
    const text = await new Metrics({ processMetrics: true }).text();
    expect(text).toMatch(/^repute_process_cpu_seconds_total \d/m);
    expect(await new Metrics().text()).not.toMatch(/process_cpu/);
  });
});
