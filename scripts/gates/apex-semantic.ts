/**
 * gate:apex-semantic — the apex-ls checker (apex-dev-tools' offline Apex semantic analysis, shipped as
 * jars inside @salesforce/code-analyzer-pmd-engine) over an SFDX workspace: unknown types, methods,
 * fields (standard objects and the workspace's own object metadata), bad assignments, missing
 * -meta.xml. Zero findings allowed. It does not look inside SOQL: gate:metadata checks that.
 *
 * Usage: tsx scripts/gates/apex-semantic.ts [workspace]   (default: the repository, via sfdx-project.json)
 */
import { spawnSync } from 'node:child_process';
import { join, relative, resolve } from 'node:path';
import { ROOT } from '../lib/files.ts';
import { report, type Finding } from '../lib/report.ts';

const JARS = join(ROOT, 'node_modules/@salesforce/code-analyzer-pmd-engine/dist/java-lib/*');

interface ApexLsOutput {
    files: {
        path: string;
        messages: { start: { line: number; offset: number }; category: string; message: string }[];
    }[];
}

export function checkApexSemantics(workspace: string): { findings: Finding[]; ok: boolean; note: string } {
    const dir = resolve(ROOT, workspace);
    const run = spawnSync(
        'java',
        ['-cp', JARS, 'io.github.apexdevtools.apexls.CheckForIssues', '-w', dir, '-n', '-f', 'json'],
        { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }
    );
    if (run.error) {
        return {
            findings: [],
            ok: false,
            note: `cannot run java (Java 17 is a prerequisite): ${run.error.message}`
        };
    }
    // Exit 0 = clean, 4 = issues found; anything else is a checker failure.
    if (run.status !== 0 && run.status !== 4) {
        return { findings: [], ok: false, note: `apex-ls exited ${run.status}: ${run.stderr || run.stdout}` };
    }
    const start = run.stdout.indexOf('{');
    const output: ApexLsOutput =
        start >= 0 ? (JSON.parse(run.stdout.slice(start)) as ApexLsOutput) : { files: [] };
    const findings: Finding[] = output.files.flatMap((f) =>
        f.messages.map((m) => ({
            file: relative(ROOT, f.path),
            line: m.start.line,
            column: m.start.offset + 1,
            rule: `apex-ls:${m.category}`,
            message: m.message
        }))
    );
    if (run.status === 4 && findings.length === 0) {
        return { findings, ok: false, note: `apex-ls reported issues it did not list: ${run.stdout}` };
    }
    return { findings, ok: true, note: `workspace ${relative(ROOT, dir) || '.'}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const { findings, ok, note } = checkApexSemantics(process.argv[2] ?? '.');
    if (!ok) {
        console.error(`apex-semantic: ${note}`);
        process.exit(1);
    }
    process.exit(report('apex-semantic', findings, note));
}
