/**
 * A full garbage collection after the initial index. The cold load allocates several times what it retains
 * (decoded scans, parse trees, transient maps); collecting once when it is done lets V8 give those pages back, so
 * a long-lived language server does not sit on its load-time peak. Uses V8's own `gc` (exposed at run time);
 * where that is unavailable it does nothing.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let gc: (() => void) | undefined;

/** Runs one full collection; returns false when the runtime does not allow it. */
export function collectAfterLoad(): boolean {
  try {
    if (!gc) {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    }
    gc();
    return true;
  } catch {
    return false;
  }
}
