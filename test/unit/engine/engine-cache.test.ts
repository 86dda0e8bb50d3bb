import { EngineCache } from '../../../src/engine/engine-cache';

/* The engine cache alone: bounded, least recently used out first, idle engines let go, a kept engine served only where it is. */
describe('EngineCache', () => {
  let time = 0;
  let released: string[] = [];
  const cache = (size: number, idleMs = 1000) => new EngineCache<string>({ size, idleMs, now: () => time, release: (engine) => void released.push(engine) });
  beforeEach(() => {
    time = 0;
    released = [];
  });

  it.each([
    { case: 'within the size nothing goes', size: 3, kept: ['a', 'b', 'c'], size_after: 3, let_go: [] },
    { case: 'beyond it the least recently kept go first', size: 2, kept: ['a', 'b', 'c', 'd'], size_after: 2, let_go: ['engine-a', 'engine-b'] },
    { case: 'keeping again makes an instance the newest', size: 2, kept: ['a', 'b', 'a', 'c'], size_after: 2, let_go: ['engine-b'] },
    { case: 'size 0 keeps nothing', size: 0, kept: ['a', 'b'], size_after: 0, let_go: ['engine-a', 'engine-b'] },
  ])('$case', ({ size, kept, size_after, let_go }) => {
    const engines = cache(size);
    for (const id of kept) engines.keep(id, `engine-${id}`);
    expect(engines.size).toBe(size_after);
    expect(released).toEqual(let_go);
  });

  it('a newer engine of the same instance lets the older one go', () => {
    const engines = cache(5);
    engines.keep('a', 'first');
    engines.keep('a', 'second');
    expect(released).toEqual(['first']);
    expect(engines.checkOut('a', () => true)).toBe('second');
  });

  it('checks out only an engine that is where the step starts; another is let go, and either way it is out', () => {
    const engines = cache(5);
    engines.keep('a', 'at-1');
    expect(engines.checkOut('a', (engine) => engine === 'at-2')).toBeUndefined();
    expect(released).toEqual(['at-1']);
    expect(engines.size).toBe(0);
    engines.keep('a', 'at-2');
    expect(engines.checkOut('a', (engine) => engine === 'at-2')).toBe('at-2');
    expect(engines.size).toBe(0);
    expect(engines.checkOut('unknown', () => true)).toBeUndefined();
  });

  it('lets go of engines unused for idleMs, oldest first, and keeps the recent ones', () => {
    const engines = cache(10, 1000);
    engines.keep('old', 'old');
    time = 600;
    engines.keep('recent', 'recent');
    time = 1000;
    engines.evictIdle();
    expect(released).toEqual(['old']);
    expect(engines.size).toBe(1);
    time = 1599;
    engines.evictIdle();
    expect(engines.size).toBe(1);
    time = 1600;
    engines.evictIdle();
    expect(released).toEqual(['old', 'recent']);
  });

  it('clear lets go of every kept engine and waits for them', async () => {
    const stopped: string[] = [];
    const engines = new EngineCache<string>({ size: 10, idleMs: 1000, release: async (engine) => void (await Promise.resolve(), stopped.push(engine)) });
    engines.keep('a', 'a');
    engines.keep('b', 'b');
    await engines.clear();
    expect(stopped.sort()).toEqual(['a', 'b']);
    expect(engines.size).toBe(0);
  });
});
