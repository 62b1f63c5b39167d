// Bundles src/ into dist/: script and stylesheet named by their content hash (the gateway serves them as
// immutable), and an index.html that names them. No inline script or style, so the page runs under a
// Content-Security-Policy of 'self' alone.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = `${here}dist`;
await rm(dist, { recursive: true, force: true });
await mkdir(`${dist}/assets`, { recursive: true });

const result = await esbuild.build({
  entryPoints: { console: `${here}src/main.ts` },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  outdir: `${dist}/assets`,
  entryNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
const script = outputs.find((name) => name.endsWith('.js'));
const style = outputs.find((name) => name.endsWith('.css'));
if (!script || !style) throw new Error(`the console bundle lacks its script or stylesheet: ${outputs.join(', ')}`);

await writeFile(
  `${dist}/index.html`,
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>nachos admin</title>
<link rel="stylesheet" href="assets/${style}">
<script type="module" src="assets/${script}"></script>
</head>
<body>
<noscript>The nachos admin console needs JavaScript.</noscript>
</body>
</html>
`,
);
