// The baseline of benchmark 7: a bare Fastify server with the same body and path
// schemas (and the same zod validator) as the service's routes, whose handlers do
// nothing. Prints "bare listening on URL".
import Fastify from "fastify";
import { type ZodTypeProvider, serializerCompiler } from "fastify-type-provider-zod";
import { getUserReputationParams } from "../../src/http/routes/get-user-reputation.js";
import { postActionsBody } from "../../src/http/routes/post-actions.js";
import { validatorCompiler } from "../../src/http/zod-validator.js";

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);
app.post("/v1/actions", { schema: { body: postActionsBody } }, async (_request, reply) => reply.code(201).send({ ok: true }));
app.get("/v1/users/:id/reputation", { schema: { params: getUserReputationParams } }, async () => ({ ok: true }));
const url = await app.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`bare listening on ${url}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void app.close().then(() => process.exit(0)));
