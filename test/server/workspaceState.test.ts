/**
 * WorkspaceState (per-root serial queues, failure isolation, innermost-root lookup) and the Debouncer, with an
 * injected loader instead of the real core.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Host } from '../../server/src/core/host';
import type { Workspace } from '../../server/src/core/workspace';
import { Debouncer, isInside, WorkspaceState } from '../../server/src/workspaceState';

/** A stand-in workspace: only `version` is read by WorkspaceState. */
function fakeWorkspace(): Workspace & { bump(): void } {
  let version = 0;
  return {
    get version() {
      return version;
    },
    bump() {
      version++;
    },
  } as unknown as Workspace & { bump(): void };
}

const host = {} as Host;
const A = path.resolve('/repo');
const B = path.resolve('/repo/nested');

describe('workspace state', () => {
  it('runs the work queued on a root in arrival order, after the root has loaded', async () => {
    let finishLoad: (ws: Workspace) => void = () => undefined;
    const state = new WorkspaceState(host, () => undefined, () => new Promise((resolve) => (finishLoad = resolve)));
    void state.addRoot(A);
    const order: string[] = [];
    const first = state.run(A, async () => {
      await Promise.resolve();
      order.push('first');
      return 1;
    });
    const second = state.run(A, async () => {
      order.push('second');
      return 2;
    });
    assert.deepEqual(order, []);
    finishLoad(fakeWorkspace());
    assert.deepEqual(await Promise.all([first, second]), [1, 2]);
    assert.deepEqual(order, ['first', 'second']);
  });

  it('reports a root that fails to load and keeps serving the other roots', async () => {
    const errors: string[] = [];
    const state = new WorkspaceState(
      host,
      (root, err) => errors.push(`${root}: ${(err as Error).message}`),
      async (root) => {
        if (root === A) throw new Error('EACCES: permission denied');
        return fakeWorkspace();
      },
    );
    assert.equal(await state.addRoot(A), undefined);
    assert.ok(await state.addRoot(B));
    assert.deepEqual(errors, [`${A}: EACCES: permission denied`]);
    assert.equal(await state.run(A, async () => 'never'), undefined);
    assert.equal(await state.run(B, async () => 'served'), 'served');
    assert.deepEqual(state.current().map((r) => r.root), [B]);
  });

  it('reports a failing task, resolves it with undefined and runs the next one', async () => {
    const errors: unknown[] = [];
    const state = new WorkspaceState(host, (_root, err) => errors.push(err), async () => fakeWorkspace());
    await state.addRoot(A);
    const failing = state.run(A, async () => {
      throw new Error('boom');
    });
    const next = state.run(A, async () => 'ok');
    assert.equal(await failing, undefined);
    assert.equal(await next, 'ok');
    assert.equal((errors[0] as Error).message, 'boom');
  });

  it('advances the generation when a task changes a workspace version, and not otherwise', async () => {
    const ws = fakeWorkspace();
    const state = new WorkspaceState(host, () => undefined, async () => ws);
    await state.addRoot(A);
    const loaded = state.generation;
    await state.run(A, async () => undefined);
    assert.equal(state.generation, loaded);
    await state.run(A, async () => ws.bump());
    assert.equal(state.generation, loaded + 1);
  });

  it('skips work queued on a root that is removed before it runs', async () => {
    const state = new WorkspaceState(host, () => undefined, async () => fakeWorkspace());
    void state.addRoot(A);
    const queued = state.run(A, async () => 'ran');
    assert.equal(state.removeRoot(A), true);
    assert.equal(await queued, undefined);
    assert.equal(state.removeRoot(A), false);
  });

  it('finds the innermost root of a file, segment by segment', async () => {
    const state = new WorkspaceState(host, () => undefined, async () => fakeWorkspace());
    void state.addRoot(A);
    void state.addRoot(B);
    assert.equal(state.rootFor(path.join(B, 'x.py')), B);
    assert.equal(state.rootFor(path.join(A, 'nested2', 'x.py')), A);
    assert.equal(state.rootFor(path.resolve('/other/x.py')), undefined);
    assert.equal(isInside(path.resolve('/repo2/x'), A), false);
    assert.equal(isInside(A, A), true);
    await state.idle();
  });
});

describe('debouncer', () => {
  it('runs only the last scheduled call for a key when flushed, and nothing after a cancel', () => {
    const d = new Debouncer();
    const ran: string[] = [];
    d.schedule('a', 10_000, () => ran.push('a1'));
    d.schedule('a', 10_000, () => ran.push('a2'));
    d.schedule('b', 10_000, () => ran.push('b'));
    d.flush('a');
    d.flush('a');
    d.cancel('b');
    d.flush('b');
    assert.deepEqual(ran, ['a2']);
    d.dispose();
  });

  it('fires a scheduled call by itself after its delay', async () => {
    const d = new Debouncer();
    await new Promise<void>((resolve) => d.schedule('k', 0, resolve));
    d.dispose();
  });
});
