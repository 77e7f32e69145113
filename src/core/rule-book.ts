import { ADJUST, type Action, REVERT } from "./action.js";
import type { Cap } from "./caps.js";
import { ReputeError } from "./errors.js";
import { USER_TARGET } from "./ids.js";
import { Ladder } from "./ladder.js";
import { Publication } from "./publication.js";
import type { ReputeConfig } from "./rules/repute-config.js";
import type { Reach } from "./rollup.js";
import type { Rule } from "./rules/rule.js";

/**
 * A validated configuration compiled for lookups on the hot path: rules by action
 * type, ladders by topic, the publication schedule. `version` is the rules version
 * the store recorded for this configuration; every entry names it. `earlier` holds
 * the books of the database's other rules versions, so an entry's reason is told as
 * the rules that applied it had it (`asOf`).
 */
export class RuleBook {
  readonly publication: Publication;
  readonly rollup: readonly number[];
  readonly global: boolean;
  readonly floor: number | null;
  private readonly byAction = new Map<string, Rule[]>();
  private readonly byId = new Map<string, Rule>();
  private readonly known: Set<string>;
  private readonly targets: Set<string> | null;
  private readonly defaultLadder: Ladder;
  private readonly ladders = new Map<string, Ladder>();
  private readonly byActionTarget = new Map<string, Map<string, Rule[]>>();
  /** The topics an award in a topic reaches, cached by topic (see `reachOf`). */
  readonly reachCache = new Map<string, Reach[]>();

  constructor(
    readonly config: ReputeConfig,
    readonly version: number,
    private readonly earlier: ReadonlyMap<number, RuleBook> = new Map(),
  ) {
    this.publication = new Publication(config.publication);
    this.rollup = config.topics.rollup;
    this.global = config.topics.global;
    this.floor = config.floor;
    for (const rule of config.rules) {
      this.byId.set(rule.id, rule);
      const list = this.byAction.get(rule.action) ?? [];
      list.push(rule);
      this.byAction.set(rule.action, list);
    }
    this.known = new Set([...config.actionTypes, ...this.byAction.keys(), REVERT, ADJUST]);
    this.targets = config.targetTypes === undefined ? null : new Set([...config.targetTypes, USER_TARGET]);
    this.defaultLadder = new Ladder(config.levels.default);
    for (const [topic, levels] of Object.entries(config.levels.topics)) this.ladders.set(topic, new Ladder(levels));
  }

  /** The rules that apply to an action, in configuration order. */
  rulesFor(action: Action): readonly Rule[] {
    const rules = this.byAction.get(action.type);
    if (rules === undefined) return [];
    const targetType = action.target?.type ?? "";
    let byTarget = this.byActionTarget.get(action.type);
    if (byTarget === undefined) this.byActionTarget.set(action.type, (byTarget = new Map()));
    let matching = byTarget.get(targetType);
    if (matching === undefined) {
      matching = rules.filter((r) => r.target === undefined || r.target === action.target?.type);
      byTarget.set(targetType, matching);
    }
    return matching;
  }

  /** The book of a rules version: this one, an earlier one, or this one when the version is unknown here. */
  asOf(version: number): RuleBook {
    return version === this.version ? this : (this.earlier.get(version) ?? this);
  }

  /** A rule by id, or undefined when this configuration does not have it. */
  rule(id: string): Rule | undefined {
    return this.byId.get(id);
  }

  /** A cap group by name. */
  cap(name: string): Cap {
    const cap = this.config.caps[name];
    if (cap === undefined) throw new Error(`cap group ${name} is not configured`); // prevented by the config schema
    return cap;
  }

  /** The ladder levels of a topic use. */
  ladder(topic: string): Ladder {
    return this.ladders.get(topic) ?? this.defaultLadder;
  }

  /** Every action type this configuration knows, built-ins included. */
  get actionTypes(): string[] {
    return [...this.known];
  }

  /** UNKNOWN_ACTION_TYPE / UNKNOWN_TARGET_TYPE for an action this configuration cannot log; undefined when it can. */
  refusal(action: Action): ReputeError | undefined {
    if (!this.known.has(action.type)) {
      return new ReputeError("UNKNOWN_ACTION_TYPE", `unknown action type "${action.type}" (known: ${[...this.known].join(", ")})`, {
        action: action.id,
        type: action.type,
      });
    }
    const t = action.target?.type;
    if (t !== undefined && this.targets !== null && !this.targets.has(t)) {
      return new ReputeError("UNKNOWN_TARGET_TYPE", `unknown target type "${t}" (known: ${[...this.targets].join(", ")})`, {
        action: action.id,
        type: t,
      });
    }
    return undefined;
  }
}
