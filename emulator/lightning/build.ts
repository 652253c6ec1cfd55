/**
 * `npm run preview:build`: bundles every LWC of the package (the JavaScript `npm run build` compiled
 * from its TypeScript), the real lightning-base-components and the preview's app shell into
 * `.preview/`, with stand-ins for the modules an org provides (stubs/; README "Run the product locally").
 *
 * Generic: every bundle under force-app is included; pages come from the package's own Lightning app,
 * tabs and flexipages, read at build time.
 *
 * Flags: `--lwc` compiles the LWC TypeScript first (`npm run build`); `--prepare` is npm's `prepare` step
 * (`npm install`, `npm ci`): builds with `--lwc` unless `.preview/` is up to date, then fills the Apex
 * runtime's parse cache, and never fails the install (`npm start` builds what is missing).
 */
import lwcModule from '@lwc/rollup-plugin';
import nodeResolveModule from '@rollup/plugin-node-resolve';
import replaceModule from '@rollup/plugin-replace';
import { spawnSync } from 'node:child_process';
import {
    existsSync,
    mkdirSync,
    readFileSync,
    renameSync,
    rmSync,
    statSync,
    utimesSync,
    writeFileSync
} from 'node:fs';
import { join, relative } from 'node:path';
import { rollup, type Plugin, type RollupOutput } from 'rollup';
import { lwcBundles, ROOT, walk } from '../../scripts/lib/files.ts';
import { readLabels, readPages, type PreviewPages } from './metadata.ts';

/** These plugins ship CommonJS with `exports.default`: take the function whichever way the loader hands it over. */
function pluginFactory<M extends { default: unknown }>(mod: M): M['default'] {
    return (typeof mod === 'function' ? mod : mod.default) as M['default'];
}
const lwc = pluginFactory(lwcModule);
const nodeResolve = pluginFactory(nodeResolveModule);
const replace = pluginFactory(replaceModule);

export const OUT_DIR = join(ROOT, '.preview');
/** A build is written here first and renamed to OUT_DIR when complete (git-ignored, same file system). */
const STAGING_DIR = join(ROOT, 'node_modules/.cache/preview-staging');
const HERE = join(ROOT, 'emulator/lightning');
const STUBS = join(HERE, 'stubs');

/** `lightning/*` modules an org provides that the npm base components do not (or only re-export). */
const LIGHTNING_STUBS: Record<string, string> = {
    'lightning/navigation': 'navigation.js',
    'lightning/platformShowToastEvent': 'platformShowToastEvent.js',
    'lightning/uiRecordApi': 'uiRecordApi.js',
    'lightning/uiObjectInfoApi': 'uiObjectInfoApi.js',
    'lightning/refresh': 'refresh.js',
    'lightning/messageService': 'messageService.js',
    '@salesforce/apex': 'apex.js',
    'preview/client': 'client.js',
    // Synthetic shadow has no attachInternals(): keep the combobox on its pre-internals path.
    '@salesforce/gate/bc.260.enableComboboxElementInternals': 'gateClosed.js'
};

const VIRTUAL = '\0preview:';

/** Resolves the `@salesforce/*` scoped modules and the lightning stubs; everything else goes to LWC. */
function orgModules(
    labels: Map<string, string>,
    pages: PreviewPages,
    components: string[],
    warnings: string[]
): Plugin {
    return {
        name: 'preview-org-modules',
        resolveId(source) {
            const stub = LIGHTNING_STUBS[source];
            if (stub) return join(STUBS, stub);
            if (
                /^@salesforce\/(apex\/|label\/c\.|schema\/|user\/|customPermission\/|userPermission\/|messageChannel\/|resourceUrl\/)/.test(
                    source
                )
            ) {
                return VIRTUAL + source;
            }
            if (source === 'preview/pages' || source === 'preview/registry') return VIRTUAL + source;
            return null;
        },
        load(id) {
            if (!id.startsWith(VIRTUAL)) return null;
            const source = id.slice(VIRTUAL.length);
            const [, kind = '', rest = ''] = /^@salesforce\/([^/]+)\/(.*)$/.exec(source) ?? [];
            const client = JSON.stringify(join(STUBS, 'client.js'));
            switch (kind) {
                case 'apex': {
                    const dot = rest.lastIndexOf('.');
                    return `import { apexMethod } from ${client};\nexport default apexMethod(${JSON.stringify(rest.slice(0, dot))}, ${JSON.stringify(rest.slice(dot + 1))});`;
                }
                case 'label': {
                    const name = rest.slice(2);
                    const value = labels.get(name);
                    if (value === undefined)
                        warnings.push(`label c.${name} is not in the package's custom labels`);
                    return `export default ${JSON.stringify(value ?? `[c.${name}]`)};`;
                }
                case 'schema': {
                    const [objectApiName, ...path] = rest.split('.');
                    const ref = path.length
                        ? { objectApiName, fieldApiName: path.join('.') }
                        : { objectApiName };
                    return `export default ${JSON.stringify(ref)};`;
                }
                case 'user':
                    return `import { session } from ${client};\nexport default session.user[${JSON.stringify(rest)}];`;
                case 'customPermission':
                case 'userPermission':
                    // Permission API names compare case-insensitively (the runtime reports them lower-cased).
                    return `import { session } from ${client};\nexport default session.permissions.some((p) => p.toLowerCase() === ${JSON.stringify(rest.toLowerCase())});`;
                case 'messageChannel':
                    return `export default { channel: ${JSON.stringify(rest)} };`;
                case 'resourceUrl':
                    return `export default ${JSON.stringify(`/resource/${rest}`)};`;
                default:
                    break;
            }
            if (source === 'preview/pages') return `export default ${JSON.stringify(pages)};`;
            if (source === 'preview/registry') {
                const entries = components
                    .map((c) => `    ${JSON.stringify(c)}: () => import(${JSON.stringify(c)})`)
                    .join(',\n');
                return `export const registry = {\n${entries}\n};`;
            }
            return null;
        }
    };
}

export interface BuildResult {
    seconds: number;
    components: string[];
    warnings: string[];
    files: string[];
}

export async function buildPreview(): Promise<BuildResult> {
    const started = Date.now();
    const bundles = lwcBundles();
    const missing = bundles.filter((b) => !existsSync(join(ROOT, b.dir, `${b.name}.js`)));
    if (missing.length) {
        throw new Error(
            `no compiled JS for ${missing.map((b) => b.name).join(', ')}: run \`npm run build\` first`
        );
    }
    // Components (bundles with a template) can be placed on pages; the others are service modules.
    const components = bundles
        .filter((b) => existsSync(join(ROOT, b.dir, `${b.name}.html`)))
        .map((b) => `c/${b.name}`);
    const labels = readLabels();
    const pages = readPages(new Set(components));
    const warnings: string[] = [...pages.warnings];

    const bundle = await rollup({
        input: { app: join(HERE, 'app/main.js') },
        plugins: [
            orgModules(labels, pages, components, warnings),
            replace({
                preventAssignment: true,
                values: {
                    'process.env.NODE_ENV': JSON.stringify('production'),
                    'import.meta.env.SSR': 'false'
                }
            }),
            lwc({
                rootDir: ROOT,
                enableDynamicComponents: true,
                modules: [
                    ...bundles.map((b) => ({ name: `c/${b.name}`, path: join(ROOT, b.dir, `${b.name}.js`) })),
                    { dir: join(HERE, 'app/modules') },
                    { npm: 'lightning-base-components' }
                ]
            }),
            nodeResolve()
        ],
        onwarn(warning) {
            if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
            // The base components' own template warnings are not ours to fix; the package's are reported.
            if ((warning.id ?? warning.loc?.file ?? '').includes('node_modules')) return;
            warnings.push(warning.message);
        }
    });
    // Written aside and swapped in whole, so a running preview never serves half a build.
    const staging = `${STAGING_DIR}-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    let output: RollupOutput['output'];
    try {
        ({ output } = await bundle.write({
            dir: staging,
            format: 'es',
            entryFileNames: '[name].js',
            chunkFileNames: 'chunks/[name]-[hash].js'
        }));
        await bundle.close();
        writeFileSync(join(staging, 'index.html'), readFileSync(join(HERE, 'app/index.html'), 'utf8'));
        // Dated when its sources were read: a source saved during the build makes it stale (previewUpToDate).
        const readAt = new Date(started);
        utimesSync(join(staging, 'app.js'), readAt, readAt);
        rmSync(OUT_DIR, { recursive: true, force: true });
        renameSync(staging, OUT_DIR);
    } finally {
        rmSync(staging, { recursive: true, force: true });
    }
    return {
        seconds: (Date.now() - started) / 1000,
        components,
        warnings,
        files: output.map((o) => relative(ROOT, join(OUT_DIR, o.fileName)))
    };
}

/** Newest modification time among the inputs of the preview build (package LWCs and metadata, the app shell). */
function newestInput(): number {
    const files = [
        ...walk(
            'force-app',
            (rel) =>
                /\/lwc\/.*\.(ts|html|css)$/.test(rel) ||
                /\.(labels|flexipage|app|tab|listView)-meta\.xml$/.test(rel)
        ),
        ...walk('emulator/lightning', (rel) =>
            /^emulator\/lightning\/(app|stubs)\/|\/(build|metadata)\.ts$/.test(rel)
        )
    ];
    return Math.max(...files.map((f) => statSync(join(ROOT, f)).mtimeMs));
}

/** True when `.preview/` was built after its newest input and every LWC has its compiled JS. */
export function previewUpToDate(): boolean {
    const built = join(OUT_DIR, 'app.js');
    const missingJs = lwcBundles().some((b) => !existsSync(join(ROOT, b.dir, `${b.name}.js`)));
    return existsSync(built) && !missingJs && statSync(built).mtimeMs >= newestInput();
}

/** `npm run build`: the LWC TypeScript compiled into the JavaScript the bundle is made of. */
function compileLwcTypeScript(): boolean {
    console.log('Compiling the LWC TypeScript (npm run build)…');
    return spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' }).status === 0;
}

/**
 * Loads the package into the local Apex runtime once, which fills its parse cache
 * (node_modules/.cache/apex-runtime): the first `npm start` then opens the org in seconds.
 */
async function warmApexRuntime(): Promise<void> {
    const started = Date.now();
    const { ApexRuntime } = await import('../apex/index.ts');
    await ApexRuntime.create({ projectDir: ROOT, debug: () => {} });
    console.log(`Apex runtime parse cache filled in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

async function cli(args: string[]): Promise<number> {
    const prepare = args.includes('--prepare');
    if (prepare && previewUpToDate()) {
        console.log('Preview is up to date (.preview/).');
    } else {
        if (prepare) console.log('Building the Lightning preview for npm start (one-off)…');
        if ((prepare || args.includes('--lwc')) && !compileLwcTypeScript()) {
            console.error('npm run build failed: fix the TypeScript errors above.');
            return 1;
        }
        const result = await buildPreview();
        for (const w of result.warnings) console.warn(`warning: ${w}`);
        console.log(
            `preview built in ${result.seconds.toFixed(1)} s: ${result.components.length} components, ${result.files.length} files in .preview/`
        );
    }
    if (prepare) await warmApexRuntime();
    return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const args = process.argv.slice(2);
    let code: number;
    try {
        code = await cli(args);
    } catch (e) {
        console.error(`preview build failed: ${(e as Error).stack ?? String(e)}`);
        code = 1;
    }
    // As npm's prepare step (npm install / npm ci) a failure only postpones the build to npm start.
    if (code !== 0 && args.includes('--prepare')) {
        console.warn('The preview was not built now; npm start will build it (and show the error again).');
        code = 0;
    }
    process.exit(code);
}
