/**
 * `npm test`: every quality gate, in order, failing on any finding.
 *
 * A gate is an npm script listed in GATES. Each runs to completion even when an earlier one
 * failed, so one run reports every problem; the process exits non-zero if any gate failed.
 * The last line is the summary `gates: N passed, N failed`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const GATES: readonly string[] = [
    'build',
    'gate:typecheck',
    'gate:lint',
    'gate:format',
    'gate:jest',
    'gate:lwc-compile',
    'gate:apex-syntax',
    'gate:apex-semantic',
    'gate:pmd',
    'gate:metadata',
    'gate:proofs',
    'test:emulator',
    'apex:test',
    'test:e2e'
];

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
};
const only = process.argv.slice(2);
const selected = only.length > 0 ? GATES.filter((g) => only.includes(g)) : GATES;
const unknown = only.filter((g) => !GATES.includes(g));
if (unknown.length > 0) {
    console.error(`npm test: not gates: ${unknown.join(', ')} (gates: ${GATES.join(', ')})`);
    process.exit(2);
}

const results: { gate: string; ok: boolean; seconds: number }[] = [];
for (const gate of selected) {
    console.log(`\n=== ${gate} ===`);
    if (!(gate in pkg.scripts)) {
        // A gate nobody has provided yet fails (it cannot pass unseen), without hiding the other results.
        console.error(`npm test: no npm script "${gate}" in package.json`);
        results.push({ gate, ok: false, seconds: 0 });
        continue;
    }
    const started = Date.now();
    const run = spawnSync('npm', ['run', '--silent', gate], { stdio: 'inherit', env: process.env });
    results.push({ gate, ok: run.status === 0, seconds: (Date.now() - started) / 1000 });
}

console.log('\n=== summary ===');
for (const r of results) {
    console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.gate.padEnd(20)} ${r.seconds.toFixed(1)} s`);
}
const failed = results.filter((r) => !r.ok).length;
console.log(`gates: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
