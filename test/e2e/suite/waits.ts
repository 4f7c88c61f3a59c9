/**
 * Condition waits for the end-to-end suite: every wait is driven by an event (diagnostics changed, a file
 * appeared) and bounded by a timeout whose error says what was awaited and what was seen instead.
 * No fixed sleeps.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

/**
 * Resolves with `promise`'s value, or rejects with `Error("timed out after <ms> ms waiting for <what>")`.
 * `ms` is wall-clock milliseconds.
 */
export function withTimeout<T>(promise: Thenable<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** The rule code of a diagnostic (`"PM001"`), whether VS Code holds it as a string/number or as `{ value, target }`. */
export function diagnosticCode(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) return undefined;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  return String(code.value);
}

/** One line per diagnostic, `source code line:col message` (1-based line:col), for failure messages. */
export function describeDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '  (no diagnostics)';
  return diagnostics
    .map((d) => `  ${d.source ?? '?'} ${diagnosticCode(d) ?? '-'} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`)
    .join('\n');
}

/**
 * Waits until `vscode.languages.getDiagnostics(uri)` satisfies `accept` (checked at once, then on every
 * `onDidChangeDiagnostics` event that names `uri`) and resolves with those diagnostics. Rejects after `ms`
 * milliseconds with `what` and the diagnostics present at that moment.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  ms: number,
  what: string,
): Promise<vscode.Diagnostic[]> {
  return new Promise<vscode.Diagnostic[]>((resolve, reject) => {
    let settled = false;
    const check = (): void => {
      if (settled) return;
      const current = vscode.languages.getDiagnostics(uri);
      if (!accept(current)) return;
      settled = true;
      clearTimeout(timer);
      subscription.dispose();
      resolve(current);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      subscription.dispose();
      reject(
        new Error(
          `timed out after ${ms} ms waiting for ${what} on ${uri.fsPath}; diagnostics there now:\n` +
            describeDiagnostics(vscode.languages.getDiagnostics(uri)),
        ),
      );
    }, ms);
    check();
  });
}

/**
 * Resolves with the first of `files` that exists (checked at once and on every change in their folders, via
 * fs.watch), or rejects after `ms` milliseconds with `what`.
 */
export function waitForAnyFile(files: readonly string[], ms: number, what: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const watchers: fs.FSWatcher[] = [];
    const finish = (found: string | undefined, err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const w of watchers) w.close();
      if (found !== undefined) resolve(found);
      else reject(err);
    };
    const check = (): void => {
      const found = files.find((f) => fs.existsSync(f));
      if (found !== undefined) finish(found);
    };
    for (const dir of new Set(files.map((f) => path.dirname(f)))) watchers.push(fs.watch(dir, check));
    const timer = setTimeout(() => finish(undefined, new Error(`timed out after ${ms} ms waiting for ${what} (${files.join(' or ')})`)), ms);
    check();
  });
}
