/**
 * Engines of recently active instances, kept between steps: at most `size`, least recently used out
 * first, and let go after `idleMs` unused, so idle instances hold no engine. A kept engine is taken
 * out while a step uses it and serves a step only if it is at exactly the state that step starts
 * from (the caller's `isAt`); otherwise it is let go and the step recovers from the stored state.
 */
export interface EngineCacheOptions<T> {
  size: number;
  idleMs: number;
  /** Lets go of an engine (stops it); not awaited, except by clear(). */
  release: (engine: T) => Promise<void> | void;
  /** Milliseconds now (Date.now unless a test drives the time). */
  now?: () => number;
}

export class EngineCache<T> {
  /** By instance id; a Map keeps insertion order, so the least recently kept comes first. */
  private readonly kept = new Map<string, { engine: T; lastUsed: number }>();
  private readonly now: () => number;

  constructor(private readonly options: EngineCacheOptions<T>) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.kept.size;
  }

  /** The instance's kept engine if `isAt` it; it is out of the cache until kept again. An engine elsewhere is let go. */
  checkOut(instanceId: string, isAt: (engine: T) => boolean): T | undefined {
    const entry = this.kept.get(instanceId);
    if (!entry) return undefined;
    this.kept.delete(instanceId);
    if (isAt(entry.engine)) return entry.engine;
    void this.options.release(entry.engine);
    return undefined;
  }

  /** Keeps the engine as the instance's newest; the least recently used beyond the size are let go. */
  keep(instanceId: string, engine: T): void {
    if (this.options.size <= 0) {
      void this.options.release(engine);
      return;
    }
    const previous = this.kept.get(instanceId);
    if (previous && previous.engine !== engine) void this.options.release(previous.engine);
    this.kept.delete(instanceId);
    this.kept.set(instanceId, { engine, lastUsed: this.now() });
    for (const [id, oldest] of this.kept) {
      if (this.kept.size <= this.options.size) break;
      this.kept.delete(id);
      void this.options.release(oldest.engine);
    }
  }

  /** Lets go of the engines unused for idleMs or longer. */
  evictIdle(): void {
    const limit = this.now() - this.options.idleMs;
    for (const [id, entry] of this.kept) {
      if (entry.lastUsed > limit) break;
      this.kept.delete(id);
      void this.options.release(entry.engine);
    }
  }

  /** Lets go of every kept engine and waits until they are released. */
  async clear(): Promise<void> {
    const engines = [...this.kept.values()].map((entry) => entry.engine);
    this.kept.clear();
    await Promise.all(engines.map((engine) => this.options.release(engine)));
  }
}
