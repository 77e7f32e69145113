/**
 * Undo records of layers: while a journal is open, every `set` remembers what the key
 * held before, so a failed unit of work can be undone in place (see `State.begin`).
 */
export class Journal {
  private readonly undo: Array<{ layer: Layer<unknown>; key: string; had: boolean; prev: unknown }> = [];
  open = false;

  record(layer: Layer<unknown>, key: string, had: boolean, prev: unknown): void {
    this.undo.push({ layer, key, had, prev });
  }

  /** Restores every recorded key, newest first, and closes the journal. */
  rollback(): void {
    for (let i = this.undo.length - 1; i >= 0; i--) {
      const u = this.undo[i] as { layer: Layer<unknown>; key: string; had: boolean; prev: unknown };
      u.layer.restore(u.key, u.had, u.prev);
    }
    this.close();
  }

  /** Keeps every change and closes the journal. */
  close(): void {
    this.undo.length = 0;
    this.open = false;
  }
}

/**
 * A map that reads through to a parent. A unit of work decides on a child layer;
 * committing copies its values into the parent, dropping it forgets them. That is
 * how a failed request in a group commit leaves no trace in the shared state. (A
 * store that loads synchronously can instead decide on the root with a `Journal`
 * open, and undo a failed unit in place: no read-through.)
 */
export class Layer<V> {
  private readonly local = new Map<string, V>();

  constructor(
    private readonly parent: Layer<V> | null = null,
    private readonly journal: Journal | null = null,
  ) {}

  get(key: string): V | undefined {
    const v = this.local.get(key);
    if (v !== undefined || this.local.has(key)) return v;
    return this.parent?.get(key);
  }

  has(key: string): boolean {
    return this.local.has(key) || (this.parent?.has(key) ?? false);
  }

  set(key: string, value: V): void {
    if (this.journal?.open === true) this.journal.record(this as Layer<unknown>, key, this.local.has(key), this.local.get(key));
    this.local.set(key, value);
  }

  /** Puts a key back as a journal recorded it. */
  restore(key: string, had: boolean, prev: unknown): void {
    if (had) this.local.set(key, prev as V);
    else this.local.delete(key);
  }

  /** The values set on this layer itself. */
  own(): IterableIterator<[string, V]> {
    return this.local.entries();
  }

  /** Copies this layer's own values into its parent. */
  commit(): void {
    if (this.parent === null) return;
    for (const [k, v] of this.local) this.parent.set(k, v);
    this.local.clear();
  }

  get size(): number {
    return this.local.size;
  }
}
