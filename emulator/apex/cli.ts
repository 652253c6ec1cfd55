/**
 * CLI of the local Apex runtime.
 *
 *   npm run apex -- exec FILE.apex          run anonymous Apex; DEBUG|<value> lines on stdout;
 *                                           exit 1 with the exception on an uncaught exception
 *   npm run apex:test [-- Class|Class.m ...] run the package's Apex tests with coverage;
 *                                           JUnit XML in test-results/apex-junit.xml
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApexRuntime } from './index.js';
import { formatLimits, SHARING_NOTICE } from './test-runner/runner.js';

async function exec(file: string): Promise<number> {
    const rt = await ApexRuntime.create({ debug: (_level, text) => process.stdout.write(`DEBUG|${text}\n`) });
    reportProblems(rt);
    const res = rt.runAnonymous(readFileSync(file, 'utf8'), file);
    if (!res.ok) {
        process.stderr.write(`${res.error}\n${res.stackTrace ?? ''}\n`);
        return 1;
    }
    return 0;
}

function reportProblems(rt: ApexRuntime): void {
    for (const p of rt.problems) process.stderr.write(`load error: ${p.message}\n`);
}

async function test(filters: string[]): Promise<number> {
    const rt = await ApexRuntime.create({ debug: () => undefined });
    reportProblems(rt);
    const junitPath = join(rt.projectDir, 'test-results', 'apex-junit.xml');
    const run = rt.runTests({ filters, junitPath });
    for (const r of run.results) {
        const status = r.passed ? 'PASS' : 'FAIL';
        process.stdout.write(`${status}  ${r.className}.${r.method}  (${r.ms} ms)\n`);
        if (r.limits) process.stdout.write(`      limits: ${formatLimits(r.limits)}\n`);
        if (!r.passed) {
            process.stdout.write(`      ${r.message}\n`);
            if (r.stackTrace) process.stdout.write(`${r.stackTrace.replace(/^/gm, '      ')}\n`);
        }
    }
    process.stdout.write('\nCoverage (lines):\n');
    for (const c of run.coverage) {
        const pct = c.total === 0 ? 100 : (100 * c.covered) / c.total;
        process.stdout.write(
            `  ${c.name.padEnd(40)} ${String(c.covered).padStart(5)}/${String(c.total).padEnd(5)} ${pct.toFixed(1)}%\n`
        );
    }
    const overall = run.total === 0 ? 100 : (100 * run.covered) / run.total;
    const failed = run.results.filter((r) => !r.passed).length;
    process.stdout.write(
        `  ${'overall'.padEnd(40)} ${String(run.covered).padStart(5)}/${String(run.total).padEnd(5)} ${overall.toFixed(1)}%\n`
    );
    process.stdout.write(
        `\ntests: ${run.results.length - failed} passed, ${failed} failed; JUnit XML: ${junitPath}\n`
    );
    process.stdout.write(`Note: ${SHARING_NOTICE}.\n`);
    if (rt.problems.length > 0) process.stdout.write(`${rt.problems.length} file(s) failed to load\n`);
    return failed > 0 || rt.problems.length > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
    const [cmd, ...rest] = argv;
    if (cmd === 'exec' && rest.length === 1) return exec(rest[0]);
    if (cmd === 'test') return test(rest);
    process.stderr.write('usage: apex exec FILE.apex | apex test [Class | Class.method ...]\n');
    return 2;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
    }
);
