/**
 * A map that reads through to a parent. A unit of work decides on a child layer;
 * committing copies its values into the parent, dropping it forgets them. That is
 * how a failed request in a group commit leaves no trace in the shared state.
 */
export class Layer<V> {
  private readonly local = new Map<string, V>();

  constructor(private readonly parent: Layer<V> | null = null) {}

  get(key: string): V | undefined {
    const v = this.local.get(key);
    if (v !== undefined || this.local.has(key)) return v;
    return this.parent?.get(key);
  }

  has(key: string): boolean {
    return this.local.has(key) || (this.parent?.has(key) ?? false);
  }

  set(key: string, value: V): void {
    this.local.set(key, value);
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
