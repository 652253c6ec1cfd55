/**
 * gate:lwc-compile — compiles every LWC bundle (the generated .js, the .html templates and the .css)
 * with the LWC platform compiler, the same compiler family the org runs on deploy, so template and
 * decorator errors that jest's more lenient transform accepts are caught before a deploy.
 *
 * Usage: tsx scripts/gates/lwc-compile.ts [root ...]   (default root: force-app)
 * Each finding prints as `file:line:col [code] message`; exit 1 on any finding.
 */
import { transformSync } from '@lwc/compiler';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, lwcBundles, walk } from '../lib/files.ts';
import { report, type Finding } from '../lib/report.ts';

interface CompilerErrorLike {
    message?: string;
    code?: number | string;
    location?: { line?: number; column?: number };
    loc?: { line?: number; column?: number };
}

function compileFile(file: string, name: string): Finding | undefined {
    const source = readFileSync(join(ROOT, file), 'utf8');
    try {
        transformSync(source, join(ROOT, file), {
            name,
            namespace: 'c',
            enableLightningWebSecurityTransforms: true,
            enableDynamicComponents: true
        });
        return undefined;
    } catch (err) {
        const e = err as CompilerErrorLike;
        const where = e.location ?? e.loc;
        return {
            file,
            line: where?.line,
            column: where?.column,
            rule: e.code === undefined ? 'lwc-compiler' : `LWC${e.code}`,
            message: (e.message ?? String(err)).split('\n')[0]
        };
    }
}

export function checkLwcBundles(roots: string[]): { findings: Finding[]; files: number } {
    const findings: Finding[] = [];
    let files = 0;
    for (const root of roots) {
        for (const bundle of lwcBundles(root)) {
            const main = `${bundle.dir}/${bundle.name}`;
            if (existsSync(join(ROOT, `${main}.ts`)) && !existsSync(join(ROOT, `${main}.js`))) {
                findings.push({
                    file: `${main}.ts`,
                    rule: 'lwc-not-built',
                    message: `no ${bundle.name}.js beside the TypeScript source: run \`npm run build\` first`
                });
            }
            const sources = walk(
                bundle.dir,
                (rel) => /\.(js|html|css)$/.test(rel) && !rel.includes('/__tests__/')
            );
            for (const file of sources) {
                files++;
                const finding = compileFile(file, bundle.name);
                if (finding) findings.push(finding);
            }
        }
    }
    return { findings, files };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const roots = process.argv.slice(2);
    const { findings, files } = checkLwcBundles(roots.length > 0 ? roots : ['force-app']);
    process.exit(report('lwc-compile', findings, `${files} LWC files compiled`));
}
