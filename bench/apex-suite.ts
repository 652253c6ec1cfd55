/**
 * Wall time of the package's full Apex test suite in the local runtime, and its slowest test classes
 * (figures printed, nothing asserted).
 *
 *   npx tsx bench/apex-suite.ts [--top N] [--runs N]
 *
 * Phases: loading (parse, bind and link every .cls/.trigger of the package plus the schema) and running
 * every @IsTest class (per-method isolation, coverage). With --runs N the suite runs N times in the same
 * process and each run is printed (the first run includes compiling method bodies on first use).
 */
import { ApexRuntime } from '../emulator/apex/index.js';

function arg(name: string, fallback: number): number {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const top = arg('--top', 10);
const runs = arg('--runs', 1);
const silent = (): void => undefined;

const t0 = performance.now();
const rt = await ApexRuntime.create({ debug: silent });
const loadMs = performance.now() - t0;
console.log(
    `load: ${loadMs.toFixed(0)} ms (${rt.files.length} Apex files, ${rt.problems.length} load problems)`
);

for (let run = 1; run <= runs; run++) {
    const started = performance.now();
    const res = rt.runTests({});
    const wall = performance.now() - started;
    const passed = res.results.filter((r) => r.passed).length;
    console.log(
        `run ${run}: ${(wall / 1000).toFixed(2)} s wall for ${res.results.length} test methods ` +
            `(${passed} passed, ${res.results.length - passed} failed), line coverage ${((100 * res.covered) / Math.max(1, res.total)).toFixed(1)}%`
    );
    if (run !== runs) continue;
    const byClass = new Map<
        string,
        { ms: number; methods: number; slowest: { method: string; ms: number } }
    >();
    for (const r of res.results) {
        const c = byClass.get(r.className) ?? { ms: 0, methods: 0, slowest: { method: '', ms: -1 } };
        c.ms += r.ms;
        c.methods++;
        if (r.ms > c.slowest.ms) c.slowest = { method: r.method, ms: r.ms };
        byClass.set(r.className, c);
    }
    const rows = [...byClass.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top);
    console.log(`\nslowest ${rows.length} test classes (sum of their methods):`);
    console.log(`${'class'.padEnd(36)} ${'ms'.padStart(8)} ${'methods'.padStart(8)}  slowest method`);
    for (const [name, c] of rows) {
        console.log(
            `${name.padEnd(36)} ${c.ms.toFixed(0).padStart(8)} ${String(c.methods).padStart(8)}  ${c.slowest.method} (${c.slowest.ms.toFixed(0)} ms)`
        );
    }
}
