import { OneAtATime } from './one-at-a-time.js';

/** A task that ends when told, recording when it started. */
function gate(log: string[], name: string) {
  let open!: (value: string) => void;
  let fail!: (error: Error) => void;
  const ended = new Promise<string>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return {
    task: () => {
      log.push(`start ${name}`);
      return ended;
    },
    open: () => open(name),
    fail: () => fail(new Error(name)),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('OneAtATime', () => {
  it('runs the tasks of one key in turn, in the order given', async () => {
    const queue = new OneAtATime();
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => gate(log, name));
    const results = [queue.run('k', a!.task), queue.run('k', b!.task), queue.run('k', c!.task)];
    await settle();
    expect(log).toEqual(['start a']);
    a!.open();
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    b!.open();
    c!.open();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'start b', 'start c']);
  });

  it('runs tasks of different keys side by side', async () => {
    const queue = new OneAtATime();
    const log: string[] = [];
    const [a, b] = ['a', 'b'].map((name) => gate(log, name));
    const results = [queue.run('k1', a!.task), queue.run('k2', b!.task)];
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    b!.open();
    a!.open();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b']);
  });

  it("goes on after a task fails, and the failure is that task's caller's alone", async () => {
    const queue = new OneAtATime();
    const log: string[] = [];
    const [a, b] = ['a', 'b'].map((name) => gate(log, name));
    const first = queue.run('k', a!.task);
    const second = queue.run('k', b!.task);
    a!.fail();
    await expect(first).rejects.toThrow('a');
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    b!.open();
    await expect(second).resolves.toBe('b');
  });

  it('forgets a key once its last task has ended', async () => {
    const queue = new OneAtATime();
    const log: string[] = [];
    const a = gate(log, 'a');
    const result = queue.run('k', a.task);
    expect(queue.size).toBe(1);
    a.open();
    await result;
    await settle();
    expect(queue.size).toBe(0);
  });
});
