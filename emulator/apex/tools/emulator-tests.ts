/**
 * `npm run test:emulator`: runs every `emulator/**\/*.test.ts` with Node's test runner
 * (`node --import tsx --test <files>`), so each engineer's emulator tests are picked up.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function collect(dir: string, out: string[]): void {
    for (const name of readdirSync(dir)) {
        if (name === 'node_modules' || name.startsWith('.')) continue;
        const p = join(dir, name);
        if (statSync(p).isDirectory()) collect(p, out);
        else if (name.endsWith('.test.ts')) out.push(relative(root, p));
    }
}

const files: string[] = [];
collect(join(root, 'emulator'), files);
files.sort();
if (files.length === 0) {
    console.error('test:emulator: no emulator/**/*.test.ts files found');
    process.exit(1);
}
const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', ...files, ...process.argv.slice(2)],
    { cwd: root, stdio: 'inherit' }
);
process.exit(run.status ?? 1);
