#!/usr/bin/env node
// The `motcua` command. A file that exists before the build, so that npm links the command at install time
// (it skips a link whose target is missing, and dist/ appears only when `npm install` has built it).
try {
  await import('../dist/bin.js');
} catch (e) {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/bin.js')) {
    process.stderr.write('motcua: not built yet: run `npm run build` at the repository root\n');
    process.exit(3);
  }
  throw e;
}
