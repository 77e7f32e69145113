import type { ReputeConfigInput } from "../repute-config.js";
import { interestsPreset } from "./interests.js";
import { qaPreset } from "./qa.js";

/** The shipped presets by name. */
export const presets = {
  qa: qaPreset,
  interests: interestsPreset,
} as const satisfies Record<string, ReputeConfigInput>;

/** A preset name. */
export type PresetName = keyof typeof presets;

/** True when `name` is a shipped preset. */
export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(presets, name);
}
