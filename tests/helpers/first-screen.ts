/**
 * The JavaScript a browser fetches before it can show the first screen (sign-in, then the overview): the
 * entry script and module preloads named in the built index.html, and every module they import statically,
 * followed to the end. A dynamic `import("./X.js")` is a screen opened later (web/src/App.svelte) and is not
 * followed. Used by the build check (tests/unit/first-screen-size.test.ts) and by `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface FirstScreen {
  files: { name: string; bytes: number; gzipBytes: number }[];
  bytes: number;
  gzipBytes: number;
}

export function firstScreenJs(webDir: string): FirstScreen {
  const html = readFileSync(join(webDir, 'index.html'), 'utf8');
  const pending = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/assets\/([^"]+\.js)"/g),
  ].map((m) => m[1] as string);
  const seen = new Set<string>();
  while (pending.length) {
    const name = pending.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const code = readFileSync(join(webDir, 'assets', name), 'utf8');
    // `from"./x.js"` and `import"./x.js"` are static; `import("./x.js")` has a parenthesis and is not matched.
    for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([^"']+\.js)["']/g)) pending.push(m[1] as string);
  }
  const files = [...seen].sort().map((name) => {
    const content = readFileSync(join(webDir, 'assets', name));
    return { name, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  });
  return {
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
  };
}
