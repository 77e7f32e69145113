import { z } from "zod";
import { actionInputSchema } from "../../core/action.js";

// `data` holds any JSON. Naming the engine's recursive JSON schema makes the OpenAPI
// document refer to it as a component instead of an unresolvable inline definition.
const jsonValue = actionInputSchema.shape.data.unwrap().out.valueType;
if (!z.globalRegistry.has(jsonValue)) z.globalRegistry.add(jsonValue, { id: "JsonValue", description: "Any JSON value." });

/** An action as a host submits it: the engine's own schema, named for the OpenAPI document. */
export const actionSchema = actionInputSchema.meta({
  id: "Action",
  description: "Something that happened in the host application (docs/actions.md). `id` is the idempotency key.",
});

/** A target as stored and shown. */
export const targetViewSchema = z.object({ type: z.string(), id: z.string(), author: z.string().optional() });
