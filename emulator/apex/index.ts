/**
 * Embedding API of the local Apex runtime.
 *
 *   const rt = await ApexRuntime.create({ projectDir });   // loads every .cls/.trigger of the package
 *   rt.runAnonymous('System.debug(1);')                     // anonymous Apex
 *   rt.invokeAura('ReviewsController', 'getReviews', {...}) // an @AuraEnabled method, JSON in/out
 *   rt.runTests(['MyClassTest'])                            // the test runner (see test-runner/)
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { lowerAnonymous, lowerClassFile, lowerTriggerFile } from './front/lower.js';
import type { CompilationUnit } from './front/ast.js';
import { cachedLower } from './front/cache.js';
import { Interpreter } from './interp/interpreter.js';
import { registerCoreLibrary } from './lib/index.js';
import type { RunningUser } from './runtime/context.js';
import { newLimitCounters } from './runtime/context.js';
import { ApexObject, TypeToken } from './runtime/values.js';
import { runTests } from './test-runner/runner.js';
import type { TestRunOptions, TestRunResult } from './test-runner/runner.js';

export interface RuntimeOptions {
    /** Project root (holds sfdx-project.json). Default: current directory. */
    projectDir?: string;
    /** Apex source directories; default: the packageDirectories of sfdx-project.json. */
    sourceDirs?: string[];
    /** Skip the data side (schema, database, SOQL, DML) even when present. */
    withoutData?: boolean;
    /** Where System.debug lines go (default: stdout as `DEBUG|<text>`). */
    debug?: (level: string, text: string) => void;
}

export interface LoadProblem {
    readonly file: string;
    readonly message: string;
}

export interface AnonymousResult {
    readonly ok: boolean;
    readonly debug: string[];
    /** `System.TypeName: message` of an uncaught exception. */
    readonly error?: string;
    readonly stackTrace?: string;
}

/** An uncaught Apex exception surfaced to the host. */
export class ApexRuntimeError extends Error {
    constructor(
        readonly apexType: string,
        readonly apexMessage: string,
        readonly stackTrace: string
    ) {
        super(`${apexType}: ${apexMessage}`);
        this.name = 'ApexRuntimeError';
    }
}

function walk(dir: string, out: string[]): void {
    for (const name of readdirSync(dir)) {
        if (name === 'node_modules' || name.startsWith('.')) continue;
        const p = join(dir, name);
        const st = statSync(p);
        if (st.isDirectory()) walk(p, out);
        else if (name.endsWith('.cls') || name.endsWith('.trigger')) out.push(p);
    }
}

async function importIfExists(rel: string): Promise<Record<string, unknown> | null> {
    const url = new URL(rel, import.meta.url);
    const tsPath = url.pathname.replace(/\.js$/, '.ts');
    if (!existsSync(tsPath) && !existsSync(url.pathname)) return null;
    return (await import(url.href)) as Record<string, unknown>;
}

export class ApexRuntime {
    readonly problems: LoadProblem[] = [];
    readonly files: string[] = [];

    private constructor(
        readonly interp: Interpreter,
        readonly projectDir: string
    ) {}

    static async create(opts: RuntimeOptions = {}): Promise<ApexRuntime> {
        const projectDir = resolve(opts.projectDir ?? process.cwd());
        // Libraries register before the interpreter is built (the registry is filled in its constructor);
        // the core first, so part 2's second-tier library can extend or override its types.
        registerCoreLibrary();
        await importIfExists('./platform2/index.js');
        const interp = new Interpreter();
        if (opts.debug) interp.debugSink = opts.debug;
        const rt = new ApexRuntime(interp, projectDir);
        if (!opts.withoutData) {
            const data = await importIfExists('./data/index.js');
            const install = data?.installDataSide as ((rt: Interpreter, o?: unknown) => unknown) | undefined;
            if (install) install(interp, {});
        }
        const dirs = opts.sourceDirs ?? rt.packageDirs();
        for (const d of dirs) {
            const abs = resolve(projectDir, d);
            if (existsSync(abs)) walk(abs, rt.files);
        }
        rt.files.sort();
        for (const f of rt.files) rt.loadFile(f);
        interp.linkAll();
        // Bind every body now: unknown names and types are load problems, as at deploy time.
        for (const message of interp.bindAll()) rt.problems.push({ file: 'bind', message });
        return rt;
    }

    private packageDirs(): string[] {
        const p = join(this.projectDir, 'sfdx-project.json');
        if (!existsSync(p)) return ['force-app'];
        const proj = JSON.parse(readFileSync(p, 'utf8')) as { packageDirectories?: { path: string }[] };
        return (proj.packageDirectories ?? []).map((d) => d.path);
    }

    /** Path as shown in stack traces and coverage (relative to the project). */
    displayPath(file: string): string {
        return relative(this.projectDir, file) || file;
    }

    private loadFile(file: string): void {
        const shown = this.displayPath(file);
        try {
            const src = readFileSync(file, 'utf8');
            const unit: CompilationUnit = file.endsWith('.trigger')
                ? cachedLower('trigger', shown, src, lowerTriggerFile)
                : cachedLower('class', shown, src, lowerClassFile);
            this.interp.load(unit);
        } catch (e) {
            this.problems.push({ file: shown, message: (e as Error).message });
        }
    }

    /** Loads extra Apex source (e.g. a test fixture) after creation. */
    addClass(file: string, source: string): void {
        this.interp.load(lowerClassFile(file, source));
        this.interp.linkAll();
    }

    /** Starts a fresh transaction: static state, limits, test flags. */
    beginTransaction(test = false): void {
        const ip = this.interp;
        ip.resetStatics();
        ip.limits = newLimitCounters();
        ip.txStart = performance.now();
        ip.test.running = test;
        ip.test.started = false;
        ip.test.startCalled = false;
        ip.test.mocks.clear();
        ip.test.extra.clear();
        ip.hooks.transaction.begin(ip);
    }

    /** Runs anonymous Apex in a new transaction. */
    runAnonymous(source: string, file = 'anonymous.apex'): AnonymousResult {
        return this.runPrepared(this.prepareAnonymous(source, file));
    }

    /** Parses, binds and compiles anonymous Apex without running it (see runPrepared). */
    prepareAnonymous(source: string, file = 'anonymous.apex'): () => void {
        return this.interp.prepareAnonymous(lowerAnonymous(file, source));
    }

    /** Runs prepared anonymous Apex in a new transaction, collecting its debug lines. */
    runPrepared(run: () => void): AnonymousResult {
        const debug: string[] = [];
        const ip = this.interp;
        const saved = ip.debugSink;
        ip.debugSink = (level, text) => {
            debug.push(text);
            saved(level, text);
        };
        try {
            this.beginTransaction(false);
            run();
            return { ok: true, debug };
        } catch (e) {
            const ex = ip.toApexException(e);
            if (!ex) throw e;
            return { ok: false, debug, error: ip.stringOf(ex), stackTrace: ip.stackTraceString(ex) };
        } finally {
            ip.debugSink = saved;
            ip.cur = null;
            ip.depth = 0;
        }
    }

    /**
     * Calls an `@AuraEnabled` static method with JSON-style params (as Lightning does) as `user`,
     * returning the JSON-style result. An uncaught Apex exception is thrown as ApexRuntimeError.
     */
    invokeAura(
        className: string,
        methodName: string,
        params: Record<string, unknown> = {},
        user?: Partial<RunningUser>
    ): unknown {
        const ip = this.interp;
        const cls = ip.classOf({ name: className.toLowerCase() });
        if (!cls) throw new Error(`No Apex class ${className}`);
        const ms =
            cls.staticMethods
                .get(methodName.toLowerCase())
                ?.filter((m) => m.annotations.has('auraenabled')) ?? [];
        if (ms.length !== 1)
            throw new Error(`No single @AuraEnabled static method ${className}.${methodName}`);
        const m = ms[0];
        const savedUser = ip.user;
        try {
            this.beginTransaction(false);
            if (user) ip.user = { ...ip.user, ...user };
            const json = ip.natives.get('json')!;
            const deser = json.statics.get('deserialize')!;
            const ser = json.statics.get('serialize/1')!;
            const args = m.paramNames.map((p, i) => {
                const key = Object.keys(params).find((k) => k.toLowerCase() === p.toLowerCase());
                const raw = key === undefined ? null : params[key];
                if (raw === null || raw === undefined) return null;
                return deser(ip, [JSON.stringify(raw), new TypeToken(m.params[i])]);
            });
            const result = ip.invoke(m, null, args);
            return JSON.parse(ser(ip, [result]) as string) as unknown;
        } catch (e) {
            const ex = ip.toApexException(e);
            if (!ex) throw e;
            // The client receives the message the exception was created with (for AuraHandledException too,
            // whose getMessage() in Apex returns 'Script-thrown exception').
            const msg = ex instanceof ApexObject ? (ex.f.$message ?? null) : null;
            throw new ApexRuntimeError(
                ip.exceptionTypeName(ex),
                msg === null ? '' : String(msg),
                ip.stackTraceString(ex)
            );
        } finally {
            ip.user = savedUser;
            ip.cur = null;
            ip.depth = 0;
        }
    }

    runTests(opts: TestRunOptions = {}): TestRunResult {
        return runTests(this, opts);
    }
}

export { Interpreter };
