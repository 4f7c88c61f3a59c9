/**
 * Screenshots of the workbench at moments the suite chooses. The extension host cannot see its own window, so
 * it asks the driver (test/e2e/run-ext-tests.mjs, which holds the browser page) through files in
 * PYMONO_E2E_SNAP_DIR:
 *   the suite writes  NAME.request  (JSON `ScreenshotRequest`),
 *   the driver waits for the requested text/element to be visible, then writes NAME.png (or NAME.error with the reason).
 * Under @vscode/test-electron there is no driver and PYMONO_E2E_SNAP_DIR is unset: `snap` does nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { waitForAnyFile } from './waits';

/** What the driver waits for before it takes the picture. */
export interface ScreenshotRequest {
  /** Text that must be visible in the page (inside `within` when given), e.g. a rule code in the Problems panel. */
  waitForText?: string;
  /** CSS selector of the region that must show `waitForText`, e.g. `.markers-panel`. */
  within?: string;
  /** CSS selector of an element that must be visible too, e.g. `.monaco-editor .squiggly-error` (a rendered squiggle). */
  waitForSelector?: string;
  /** How long the driver may wait for each condition, in milliseconds (default 20000). */
  timeoutMs?: number;
}

/**
 * Asks the driver for a screenshot named `name` (`[a-z0-9-]+`) and resolves once NAME.png exists.
 * Resolves `false` without doing anything when no driver serves screenshots. Rejects with the driver's reason
 * (text never became visible) or on timeout (driver gone).
 */
export async function snap(name: string, request: ScreenshotRequest = {}): Promise<boolean> {
  const dir = process.env.PYMONO_E2E_SNAP_DIR;
  if (!dir) return false;
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`screenshot name must match [a-z0-9-]+: ${name}`);
  const png = path.join(dir, `${name}.png`);
  const error = path.join(dir, `${name}.error`);
  fs.rmSync(png, { force: true });
  fs.rmSync(error, { force: true });
  // Write under a temporary name and rename, so the driver never reads a half-written request.
  const tmp = path.join(dir, `.${name}.request.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(request));
  fs.renameSync(tmp, path.join(dir, `${name}.request`));
  const limit = (request.timeoutMs ?? 20_000) + 15_000;
  const found = await waitForAnyFile([png, error], limit, `screenshot ${name} from the driver`);
  if (found === error) throw new Error(`screenshot ${name} failed: ${fs.readFileSync(error, 'utf8')}`);
  return true;
}

/**
 * Shows a transient widget with `show()` and asks the driver for screenshot `name` once `request` holds.
 * The workbench may close such a widget before the driver sees it (a code-action or hover request re-triggered
 * by a late diagnostics update or cursor event), so a failed attempt shows it again, up to `attempts` times, each
 * bounded by `request.timeoutMs`. A failed attempt's `NAME-failed.png` is deleted from the exchange folder, so a
 * passing run publishes only the real picture; the last attempt's error (and picture) is kept.
 */
export async function snapTransient(name: string, request: ScreenshotRequest, show: () => Promise<void>, attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await show();
    try {
      await snap(name, request);
      return;
    } catch (err: unknown) {
      if (attempt >= attempts) throw err;
      console.log(`[pymono e2e] screenshot ${name}, attempt ${attempt} of ${attempts}: ${err instanceof Error ? err.message : String(err)}`);
      const dir = process.env.PYMONO_E2E_SNAP_DIR;
      if (dir) fs.rmSync(path.join(dir, `${name}-failed.png`), { force: true });
    }
  }
}
