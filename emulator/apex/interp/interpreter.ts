/**
 * The interpreter: loads lowered compilation units, links classes, resolves types, runs compiled
 * closures and implements the ApexContext natives see.
 */
import { readFileSync } from 'node:fs';
import type * as A from '../front/ast.js';
import type {
    ApexContext,
    LimitCounters,
    RunningUser,
    StackFrame,
    TestState,
    TriggerEvent,
    TriggerVariables
} from '../runtime/context.js';
import { newLimitCounters } from '../runtime/context.js';
import { ApexError, setStackProvider } from '../runtime/errors.js';
import { defaultHooks, NotSupportedError } from '../runtime/hooks.js';
import type { Hooks, SourcePos } from '../runtime/hooks.js';
import { NativeRegistry, findNative, installLibraries } from '../runtime/natives.js';
import type { NativeType } from '../runtime/natives.js';
import * as ops from '../runtime/ops.js';
import {
    ApexDate,
    ApexDatetime,
    ApexDouble,
    ApexId,
    ApexList,
    ApexMap,
    ApexObject,
    ApexSet,
    ApexTime,
    Blob,
    Decimal,
    EnumValue,
    NativeObject,
    T,
    TypeToken,
    isSObject,
    runtimeTypeName,
    typeToString
} from '../runtime/values.js';
import type { TypeRef } from '../runtime/values.js';
import { lowerExpressionText } from '../front/lower.js';
import { Compiler } from './compiler.js';
import { ApexCompileError, ClassInfo, EnumInfo, Frame, MethodInfo } from './model.js';
import type { FieldInfo, TriggerInfo } from './model.js';

const NO_LOCALS: unknown[] = [];

/** A resolved type name. */
export type Resolved =
    | { readonly k: 'class'; readonly cls: ClassInfo; readonly ref: TypeRef }
    | { readonly k: 'enum'; readonly en: EnumInfo; readonly ref: TypeRef }
    | {
          readonly k: 'native';
          readonly nt: NativeType | undefined;
          readonly ref: TypeRef;
          readonly platform: boolean;
      }
    | { readonly k: 'sobject'; readonly name: string; readonly ref: TypeRef }
    | { readonly k: 'builtin'; readonly ref: TypeRef; readonly nt: NativeType | undefined };

const BUILTINS = new Set([
    'object',
    'string',
    'integer',
    'long',
    'double',
    'decimal',
    'boolean',
    'id',
    'date',
    'datetime',
    'time',
    'blob',
    'list',
    'set',
    'map',
    'sobject',
    'void'
]);

/** Built-in exception types (System namespace), all direct subclasses of Exception. */
export const SYSTEM_EXCEPTIONS = [
    'AsyncException',
    'AssertException',
    'BigObjectException',
    'CalloutException',
    'DmlException',
    'EmailException',
    'FinalException',
    'HandledException',
    'IllegalArgumentException',
    'InvalidParameterValueException',
    'JSONException',
    'LimitException',
    'ListException',
    'MathException',
    'NoAccessException',
    'NoDataFoundException',
    'NoSuchElementException',
    'NullPointerException',
    'QueryException',
    'RequiredFeatureMissingException',
    'SearchException',
    'SecurityException',
    'SerializationException',
    'SObjectException',
    'StringException',
    'TypeException',
    'UnexpectedException',
    'VisualforceException',
    'XmlException',
    'AuraHandledException',
    'CanvasException',
    'DuplicateMessageException',
    'InvalidHeaderException',
    'LicenseException',
    'ProcedureException'
];

export interface DebugSink {
    (level: string, text: string): void;
}

export interface Coverage {
    /** Executable lines (statement starts). */
    readonly lines: Set<number>;
    /** Hit counts by line. */
    hits: Int32Array;
}

export class Interpreter implements ApexContext {
    readonly hooks: Hooks = defaultHooks();
    readonly natives = new NativeRegistry();
    limits: LimitCounters = newLimitCounters();
    user: RunningUser;
    readonly test: TestState = {
        running: false,
        started: false,
        startCalled: false,
        mocks: new Map(),
        extra: new Map()
    };
    orgTimeZone = 'America/Los_Angeles';
    /** Fixed clock; the host may change it. */
    clock = Date.UTC(2026, 0, 15, 12, 0, 0);
    debugSink: DebugSink = (level, text) => process.stdout.write(`DEBUG|${text}\n`);

    readonly classes = new Map<string, ClassInfo | EnumInfo>();
    readonly triggers: TriggerInfo[] = [];
    readonly coverage = new Map<string, Coverage>();
    readonly compiler: Compiler;
    /** Current Apex frame (innermost). */
    cur: Frame | null = null;
    depth = 0;
    /** performance.now() when the current transaction started (Limits.getCpuTime). */
    txStart = performance.now();
    /** Trigger context variable stack. */
    triggerStack: { sobject: string; event: TriggerEvent; vars: TriggerVariables }[] = [];
    private platformTable: Record<string, { kind: string; values?: string[]; extends?: string }> | null =
        null;
    private readonly platformEnums = new Map<string, EnumInfo>();
    readonly exceptionBase: ClassInfo;
    private anonCounter = 0;
    private readonly units: A.CompilationUnit[] = [];

    constructor() {
        this.user = {
            id: ApexId.tryParse('005000000000001AAA')!,
            userName: 'admin@local.test',
            firstName: 'Local',
            lastName: 'Admin',
            email: 'admin@local.test',
            profileName: 'System Administrator',
            timeZone: 'America/Los_Angeles',
            locale: 'en_US',
            language: 'en_US',
            customPermissions: new Set(),
            extra: {}
        };
        this.compiler = new Compiler(this);
        this.exceptionBase = new ClassInfo('exception', 'Exception', 'class', null, '<system>', null);
        this.exceptionBase.isException = true;
        this.exceptionBase.supertypes.add('exception');
        this.exceptionBase.supertypes.add('object');
        this.exceptionBase.linked = true;
        this.classes.set('exception', this.exceptionBase);
        for (const e of SYSTEM_EXCEPTIONS) this.defineException(e, this.exceptionBase);
        setStackProvider(() => this.stackFrames());
        ops.setObjectProtocol({
            equals: (a, b) => this.objEquals(a, b),
            hashKey: (o) => this.objHashKey(o),
            toString: (o) => this.objToString(o),
            nativeToString: (o) => {
                const nt = this.natives.get(o.type);
                const f = nt ? findNative(nt.methods, 'tostring', 0) : undefined;
                return f ? ops.stringOf(f(this, o, [])) : null;
            }
        });
        installLibraries(this.natives);
    }

    /** Defines a built-in exception type (name as documented, e.g. 'DmlException' or 'Auth.FooException'). */
    defineException(display: string, base?: ClassInfo): ClassInfo {
        const lname = display.toLowerCase();
        const existing = this.classes.get(lname);
        if (existing instanceof ClassInfo) return existing;
        const c = new ClassInfo(lname, display, 'class', null, '<system>', null);
        c.isException = true;
        c.superclass = base ?? this.exceptionBase;
        c.supertypes.add(lname);
        for (const s of c.superclass.supertypes) c.supertypes.add(s);
        c.linked = true;
        this.classes.set(lname, c);
        return c;
    }

    // ------------------------------------------------------------------------------------------
    // Loading

    load(unit: A.CompilationUnit): void {
        this.units.push(unit);
        const d = unit.decl;
        this.registerLines(unit.file, d);
        if (d.kind === 'trigger') {
            const m = new MethodInfo(
                d.name,
                this.triggerHost(unit.file),
                null,
                true,
                [],
                [],
                T.void,
                d.line,
                new Set(),
                new Set()
            );
            this.triggers.push({
                name: d.name,
                sobject: d.sobject.toLowerCase(),
                events: new Set(d.events),
                decl: d,
                file: unit.file,
                method: m
            });
            return;
        }
        if (d.kind === 'anonymous') throw new Error('use runAnonymousUnit for anonymous Apex');
        this.declare(d, unit.file, null);
    }

    private triggerHost(file: string): ClassInfo {
        const c = new ClassInfo(`$trigger:${file}`, 'Trigger', 'class', null, file, null);
        c.linked = true;
        return c;
    }

    private declare(d: A.TypeDecl, file: string, outer: ClassInfo | null): ClassInfo | EnumInfo {
        const full = outer ? `${outer.name}.${d.name.toLowerCase()}` : d.name.toLowerCase();
        // Types declared in anonymous Apex are shown by their own name.
        const display =
            outer && !outer.name.startsWith('anonymous') ? `${outer.displayName}.${d.name}` : d.name;
        if (
            !outer &&
            this.classes.has(full) &&
            !(this.classes.get(full) as ClassInfo).decl &&
            !SYSTEM_EXCEPTIONS.includes(display)
        ) {
            // Redefinition of a synthetic name (e.g. a user class named like a platform exception) is allowed.
        }
        let info: ClassInfo | EnumInfo;
        if (d.kind === 'enum') {
            info = new EnumInfo(full, display, d.values, file);
        } else {
            // Anonymous Apex holds its classes in a synthetic outer class; they are not checked here.
            if (outer && !outer.name.startsWith('anonymous') && d.kind === 'class')
                rejectStaticVariables(d, file);
            const c = new ClassInfo(full, display, d.kind, d, file, outer);
            info = c;
            if (d.kind === 'class')
                for (const inner of d.inner)
                    c.inner.set(inner.name.toLowerCase(), this.declare(inner, file, c));
        }
        if (outer) outer.inner.set(d.name.toLowerCase(), info);
        else this.classes.set(full, info);
        return info;
    }

    /** Records the executable lines of a unit for coverage (statement starts). */
    private registerLines(file: string, d: A.CompilationUnit['decl']): void {
        const lines = new Set<number>();
        const stmt = (s: A.Stmt): void => {
            if (s.kind === 'block') {
                s.stmts.forEach(stmt);
                return;
            }
            lines.add(s.line);
            switch (s.kind) {
                case 'if':
                    stmt(s.then);
                    if (s.else) stmt(s.else);
                    break;
                case 'while':
                case 'do':
                case 'foreach':
                case 'for':
                    stmt(s.body);
                    break;
                case 'try':
                    stmt(s.body);
                    s.catches.forEach((c) => stmt(c.body));
                    if (s.finally) stmt(s.finally);
                    break;
                case 'switch':
                    s.whens.forEach((w) => stmt(w.body));
                    break;
                case 'runas':
                    stmt(s.body);
                    break;
                default:
                    break;
            }
        };
        const typeDecl = (t: A.TypeDecl): void => {
            if (t.kind !== 'class') return;
            for (const f of t.fields) if (f.init) lines.add(f.line);
            for (const m of [...t.methods, ...t.ctors]) if (m.body) stmt(m.body);
            for (const p of t.properties) {
                if (p.getter?.body) stmt(p.getter.body);
                if (p.setter?.body) stmt(p.setter.body);
            }
            for (const i of t.initializers) stmt(i.body);
            t.inner.forEach(typeDecl);
        };
        if (d.kind === 'trigger') stmt(d.body);
        else if (d.kind === 'anonymous') stmt(d.body);
        else typeDecl(d);
        let max = 0;
        for (const l of lines) max = Math.max(max, l);
        this.coverage.set(file, { lines, hits: new Int32Array(max + 2) });
    }

    /** Links every loaded class (supertypes, members). Call after loading all units. */
    linkAll(): void {
        const all: ClassInfo[] = [];
        const collect = (c: ClassInfo | EnumInfo): void => {
            if (c instanceof ClassInfo && c.decl) {
                all.push(c);
                for (const i of c.inner.values()) collect(i);
            }
        };
        for (const c of this.classes.values()) collect(c);
        for (const c of all) this.link(c);
    }

    link(c: ClassInfo): void {
        if (c.linked) return;
        c.linked = true;
        const d = c.decl!;
        c.supertypes.add(c.name);
        c.supertypes.add('object');
        const addIface = (t: A.TypeName): void => {
            const r = this.resolveType(t.parts, c.outer ?? c, t.line, c.file, true);
            let lname: string;
            if (r && r.k === 'class') {
                this.link(r.cls);
                for (const s of r.cls.supertypes) c.supertypes.add(s);
                lname = r.cls.name;
            } else {
                lname = r ? r.ref.name : t.parts.join('.').toLowerCase();
                c.supertypes.add(lname);
                const nt = r && (r.k === 'native' || r.k === 'builtin') ? r.nt : undefined;
                for (const s of nt?.def.supertypes ?? []) c.supertypes.add(s);
            }
            c.interfaces.push(lname);
        };
        if (d.kind === 'class') {
            if (d.extends) {
                const r = this.resolveType(d.extends.parts, c.outer ?? c, d.extends.line, c.file, true);
                if (!r || r.k !== 'class')
                    throw new NotSupportedError(`superclass ${d.extends.parts.join('.')}`, {
                        file: c.file,
                        line: d.line
                    });
                this.link(r.cls);
                c.superclass = r.cls;
                for (const s of r.cls.supertypes) c.supertypes.add(s);
                c.isException = r.cls.isException;
            }
            d.implements.forEach(addIface);
        } else {
            d.extends.forEach(addIface);
        }
        // Members.
        const kw = (m: A.Modifiers): boolean => m.keywords.has('static');
        if (d.kind === 'class') {
            for (const f of d.fields) {
                const fi: FieldInfo = {
                    name: f.name,
                    lname: f.name.toLowerCase(),
                    type: this.typeRef(f.type, c),
                    isStatic: kw(f.mods),
                    decl: f,
                    cls: c,
                    accessor: null,
                    annotations: new Set(f.mods.annotations.map((a) => a.name)),
                    isPublic: f.mods.keywords.has('public') || f.mods.keywords.has('global'),
                    isTransient: f.mods.keywords.has('transient')
                };
                (fi.isStatic ? c.staticFields : c.fields).set(fi.lname, fi);
            }
            for (const p of d.properties) {
                const isStatic = kw(p.mods);
                const type = this.typeRef(p.type, c);
                const mk = (which: 'get' | 'set', body: A.Block | null, line: number): MethodInfo | null => {
                    if (!body) return null;
                    const decl: A.MethodDecl = {
                        kind: 'method',
                        mods: p.mods,
                        returnType: which === 'get' ? p.type : null,
                        name: `${which}_${p.name}`,
                        params: which === 'set' ? [{ type: p.type, name: 'value', line }] : [],
                        body,
                        line,
                        endLine: body.endLine
                    };
                    const mi = new MethodInfo(
                        decl.name,
                        c,
                        decl,
                        isStatic,
                        which === 'set' ? [type] : [],
                        which === 'set' ? ['value'] : [],
                        which === 'get' ? type : T.void,
                        line,
                        new Set(),
                        p.mods.keywords
                    );
                    mi.accessorOf = p.name.toLowerCase();
                    return mi;
                };
                const getM = p.getter ? mk('get', p.getter.body, p.getter.line) : null;
                const setM = p.setter ? mk('set', p.setter.body, p.setter.line) : null;
                const accessor =
                    getM || setM
                        ? {
                              get: getM,
                              set: setM,
                              autoGet: !!p.getter && !p.getter.body,
                              autoSet: !!p.setter && !p.setter.body
                          }
                        : null;
                const fi: FieldInfo = {
                    name: p.name,
                    lname: p.name.toLowerCase(),
                    type,
                    isStatic,
                    decl: p,
                    cls: c,
                    accessor,
                    annotations: new Set(p.mods.annotations.map((a) => a.name)),
                    isPublic: p.mods.keywords.has('public') || p.mods.keywords.has('global'),
                    isTransient: p.mods.keywords.has('transient')
                };
                if (accessor && !isStatic) c.hasAccessors = true;
                (isStatic ? c.staticFields : c.fields).set(fi.lname, fi);
            }
            if (c.superclass?.hasAccessors) c.hasAccessors = true;
            for (const m of d.ctors) c.ctors.push(this.methodInfo(m, c, false));
        }
        for (const m of d.methods) {
            const isStatic = d.kind === 'class' && kw(m.mods);
            const mi = this.methodInfo(m, c, isStatic);
            const map = isStatic ? c.staticMethods : c.methods;
            const list = map.get(mi.lname) ?? [];
            list.push(mi);
            map.set(mi.lname, list);
        }
        // vtable: inherited, then interfaces' abstract ones (for dispatch errors), then own overriding.
        if (c.superclass) for (const [k, v] of c.superclass.vtable) c.vtable.set(k, [...v]);
        for (const [k, own] of c.methods) {
            const inherited = c.vtable.get(k) ?? [];
            const merged = inherited.filter((im) => !own.some((om) => sameSignature(om, im)));
            // Abstract interface declarations never shadow concrete inherited methods.
            const ownConcrete = own.filter(
                (m) => !(m.isAbstract && inherited.some((im) => sameSignature(im, m) && !im.isAbstract))
            );
            c.vtable.set(k, [...ownConcrete, ...merged]);
        }
    }

    /**
     * Binds and compiles every method, constructor, accessor, initializer and trigger now (instead of on
     * first call), so that an unknown name or type anywhere in the project is reported at load time,
     * as the platform reports it at deploy time. Returns one message per failing member.
     */
    bindAll(): string[] {
        const problems: string[] = [];
        const attempt = (what: string, f: () => void): void => {
            try {
                f();
            } catch (e) {
                problems.push(`${what}: ${(e as Error).message}`);
            }
        };
        const visit = (c: ClassInfo | EnumInfo): void => {
            if (!(c instanceof ClassInfo) || !c.decl) return;
            const members = [...c.ctors, ...[...c.methods.values(), ...c.staticMethods.values()].flat()];
            for (const f of [...c.fields.values(), ...c.staticFields.values()]) {
                if (f.accessor?.get) members.push(f.accessor.get);
                if (f.accessor?.set) members.push(f.accessor.set);
            }
            for (const m of members)
                if (m.body === null && m.decl?.body)
                    attempt(`${c.displayName}.${m.name}`, () => this.compiler.compileMethod(m));
            attempt(`${c.displayName} static initializer`, () => this.compiler.compileStaticInit(c));
            if (c.instanceInit === null)
                attempt(`${c.displayName} instance initializer`, () => this.compiler.compileInstanceInit(c));
            for (const i of c.inner.values()) visit(i);
        };
        for (const c of this.classes.values()) visit(c);
        for (const t of this.triggers)
            if (t.method.body === null) attempt(`trigger ${t.name}`, () => this.compiler.compileTrigger(t));
        return problems;
    }

    private methodInfo(m: A.MethodDecl, c: ClassInfo, isStatic: boolean): MethodInfo {
        return new MethodInfo(
            m.name,
            c,
            m,
            isStatic,
            m.params.map((p) => this.typeRef(p.type, c)),
            m.params.map((p) => p.name),
            m.returnType ? this.typeRef(m.returnType, c) : T.void,
            m.line,
            new Set(m.mods.annotations.map((a) => a.name)),
            m.mods.keywords
        );
    }

    // ------------------------------------------------------------------------------------------
    // Types

    private loadPlatformTable(): Record<string, { kind: string; values?: string[]; extends?: string }> {
        if (!this.platformTable) {
            const url = new URL('../../../vendor/apex-platform/platform-types.json', import.meta.url);
            const raw = JSON.parse(readFileSync(url, 'utf8')) as Record<
                string,
                { kind: string; values?: string[]; extends?: string }
            >;
            const table: Record<string, { kind: string; values?: string[]; extends?: string }> =
                Object.create(null);
            for (const [k, v] of Object.entries(raw))
                table[k.toLowerCase()] = { ...v, display: k } as (typeof table)[string];
            this.platformTable = table;
        }
        return this.platformTable;
    }

    /** Platform table entry for a dotted lower-case name (System./Schema. prefixes optional). */
    platformType(
        lname: string
    ): { kind: string; values?: string[]; extends?: string; display: string } | null {
        const table = this.loadPlatformTable() as Record<
            string,
            { kind: string; values?: string[]; extends?: string; display: string }
        >;
        for (const n of [lname, lname.replace(/^(system|schema)\./, '')]) {
            const e = table[n];
            if (e) return e;
        }
        return null;
    }

    /**
     * Resolves a dotted type name as seen from class `from` (null = top level).
     * Returns null when nothing matches (caller decides whether that is an error).
     */
    resolveType(
        parts: readonly string[],
        from: ClassInfo | null,
        line: number,
        file: string,
        quiet = false
    ): Resolved | null {
        const lparts = parts.map((p) => p.toLowerCase());
        const r = this.resolveLower(lparts, from);
        if (!r && !quiet) throw new NotSupportedError(`type ${parts.join('.')}`, { file, line });
        return r;
    }

    private resolveLower(lparts: string[], from: ClassInfo | null): Resolved | null {
        const first = lparts[0];
        if (lparts.length === 1 && BUILTINS.has(first)) {
            return { k: 'builtin', ref: { name: first }, nt: this.natives.get(first) };
        }
        // Inner types visible from `from` (own, superclasses', outer classes').
        if (lparts.length >= 1) {
            for (let c: ClassInfo | null = from; c; c = c.outer) {
                for (let s: ClassInfo | null = c; s; s = s.superclass) {
                    const hit = s.inner.get(first);
                    if (hit) return this.descend(hit, lparts.slice(1));
                }
                if (c.name === first && c.outer === null) return this.descend(c, lparts.slice(1));
            }
        }
        const top = this.classes.get(first);
        if (top && (top instanceof EnumInfo || top.decl)) return this.descend(top, lparts.slice(1));
        const joined = lparts.join('.');
        if ((first === 'system' || first === 'schema') && lparts.length > 1) {
            const rest = this.resolveLower(lparts.slice(1), null);
            if (rest) return rest;
        }
        if (top instanceof ClassInfo) return this.descend(top, lparts.slice(1));
        if (lparts.length === 1 && this.hooks.sobjects.isSObjectType(first)) {
            const name = this.hooks.sobjects.canonicalName(first);
            return { k: 'sobject', name, ref: { name: name.toLowerCase(), display: name } };
        }
        const synthetic = this.classes.get(joined);
        if (synthetic instanceof ClassInfo)
            return { k: 'class', cls: synthetic, ref: { name: joined, display: synthetic.displayName } };
        const nt = this.natives.get(joined);
        const pt = this.platformType(joined);
        if (pt && pt.kind === 'enum')
            return {
                k: 'enum',
                en: this.platformEnum(pt.display, pt.values ?? []),
                ref: { name: pt.display.toLowerCase(), display: pt.display }
            };
        if (pt && /exception$/.test(joined) && pt.kind === 'class') {
            const c = this.defineException(pt.display);
            return { k: 'class', cls: c, ref: { name: c.name, display: c.displayName } };
        }
        if (nt || pt)
            return {
                k: 'native',
                nt,
                ref: {
                    name: nt ? nt.lowerName : pt!.display.toLowerCase(),
                    display: nt ? nt.name : pt!.display
                },
                platform: !!pt
            };
        return null;
    }

    private descend(start: ClassInfo | EnumInfo, rest: string[]): Resolved | null {
        let cur: ClassInfo | EnumInfo = start;
        for (const p of rest) {
            if (!(cur instanceof ClassInfo)) return null;
            const next: ClassInfo | EnumInfo | undefined = cur.inner.get(p);
            if (!next) return null;
            cur = next;
        }
        if (cur instanceof EnumInfo)
            return { k: 'enum', en: cur, ref: { name: cur.name, display: cur.displayName } };
        return { k: 'class', cls: cur, ref: { name: cur.name, display: cur.displayName } };
    }

    platformEnum(display: string, values: readonly string[]): EnumInfo {
        const lname = display.toLowerCase();
        let e = this.platformEnums.get(lname);
        if (!e) {
            e = new EnumInfo(lname, display, values, '<system>');
            this.platformEnums.set(lname, e);
        }
        return e;
    }

    /** Converts a syntax type name to a runtime TypeRef (arrays become Lists). */
    typeRef(t: A.TypeName, from: ClassInfo | null): TypeRef {
        let base: TypeRef;
        const lparts = t.parts.map((p) => p.toLowerCase());
        const args = t.args.map((a) => this.typeRef(a, from));
        if (lparts.length === 1 && BUILTINS.has(lparts[0])) {
            base = args.length > 0 ? { name: lparts[0], args } : { name: lparts[0] };
        } else {
            const r = this.resolveLower(lparts, from);
            base = r
                ? { name: r.ref.name, display: r.ref.display, args: args.length ? args : undefined }
                : { name: lparts.join('.'), display: t.parts.join('.') };
        }
        for (let i = 0; i < t.arrayDims; i++) base = { name: 'list', args: [base] };
        return base;
    }

    resolveTypeName(name: string): TypeRef | null {
        const parsed = parseTypeString(name);
        if (!parsed) return null;
        const conv = (p: ParsedType): TypeRef | null => {
            const lparts = p.parts.map((x) => x.toLowerCase());
            const args: TypeRef[] = [];
            for (const a of p.args) {
                const r = conv(a);
                if (!r) return null;
                args.push(r);
            }
            if (lparts.length === 1 && BUILTINS.has(lparts[0]))
                return args.length ? { name: lparts[0], args } : { name: lparts[0] };
            const r = this.resolveLower(lparts, null);
            if (!r) return null;
            return args.length ? { ...r.ref, args } : r.ref;
        };
        return conv(parsed);
    }

    /** The class (user or synthetic) for a TypeRef, if any. */
    classOf(t: TypeRef): ClassInfo | null {
        const c = this.classes.get(t.name) ?? this.findInner(t.name);
        return c instanceof ClassInfo ? c : null;
    }

    enumOf(t: TypeRef): EnumInfo | null {
        const c = this.classes.get(t.name) ?? this.findInner(t.name);
        if (c instanceof EnumInfo) return c;
        return this.platformEnums.get(t.name) ?? null;
    }

    private findInner(dotted: string): ClassInfo | EnumInfo | undefined {
        const parts = dotted.split('.');
        let cur: ClassInfo | EnumInfo | undefined = this.classes.get(parts[0]);
        for (const p of parts.slice(1)) {
            if (!(cur instanceof ClassInfo)) return undefined;
            cur = cur.inner.get(p);
        }
        return cur;
    }

    isInstance(v: unknown, t: TypeRef): boolean {
        if (v === null || v === undefined) return false;
        const n = t.name;
        switch (n) {
            case 'object':
                return true;
            case 'string':
                return typeof v === 'string';
            case 'integer':
                return typeof v === 'number';
            case 'long':
                return typeof v === 'bigint';
            case 'double':
                return v instanceof ApexDouble;
            case 'decimal':
                return v instanceof Decimal;
            case 'boolean':
                return typeof v === 'boolean';
            case 'id':
                return v instanceof ApexId;
            case 'date':
                return v instanceof ApexDate;
            case 'datetime':
                return v instanceof ApexDatetime;
            case 'time':
                return v instanceof ApexTime;
            case 'blob':
                return v instanceof Blob;
            case 'sobject':
                return isSObject(v);
            case 'list':
                return v instanceof ApexList && this.elemCompatible(v.elemType, t.args?.[0]);
            case 'set':
                return v instanceof ApexSet && this.elemCompatible(v.elemType, t.args?.[0]);
            case 'map':
                return (
                    v instanceof ApexMap &&
                    this.elemCompatible(v.keyType, t.args?.[0]) &&
                    this.elemCompatible(v.valueType, t.args?.[1])
                );
            case 'type':
                return v instanceof TypeToken;
            default:
                break;
        }
        if (v instanceof ApexObject) return v.cls.isSubtypeOf(n);
        if (v instanceof EnumValue) return v.enumType.name.toLowerCase() === n || n === 'enum';
        if (isSObject(v)) return v.sobjectType.toLowerCase() === n;
        if (v instanceof NativeObject) {
            if (v.type === n) return true;
            const nt = this.natives.get(v.type);
            return !!nt?.def.supertypes?.includes(n);
        }
        return false;
    }

    /** Apex collections are covariant at run time for instanceof (List<Account> instanceof List<SObject>). */
    private elemCompatible(actual: TypeRef, wanted: TypeRef | undefined): boolean {
        if (!wanted || wanted.name === 'object') return true;
        if (actual.name === wanted.name) return true;
        if (wanted.name === 'sobject') return this.hooks.sobjects.isSObjectType(actual.name);
        const c = this.classOf(actual);
        return !!c && c.isSubtypeOf(wanted.name);
    }

    /** Assignment conversion to a declared type. */
    coerce(v: unknown, t: TypeRef): unknown {
        if (v === null || v === undefined) return null;
        switch (t.name) {
            case 'long':
                return typeof v === 'number' ? BigInt(v) : v;
            case 'double':
                if (typeof v === 'number') return new ApexDouble(v);
                if (typeof v === 'bigint') return new ApexDouble(Number(v));
                if (v instanceof Decimal) return new ApexDouble(v.toNumber());
                return v;
            case 'decimal':
                if (typeof v === 'number' || typeof v === 'bigint') return Decimal.fromInt(v);
                if (v instanceof ApexDouble) return Decimal.fromNumber(v.v);
                return v;
            case 'id':
                if (typeof v === 'string') {
                    const id = ApexId.tryParse(v);
                    if (!id) throw new ApexError('StringException', `Invalid id: ${v}`);
                    return id;
                }
                return v;
            case 'string':
                return v instanceof ApexId ? v.v : v;
            default:
                return v;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Execution

    now(): number {
        return this.clock;
    }

    debug(level: string, text: string): void {
        this.debugSink(level, text);
    }

    pos(): SourcePos {
        const f = this.cur;
        return { file: f ? f.file : '<host>', line: f ? f.line : 0 };
    }

    stackFrames(): StackFrame[] {
        const out: StackFrame[] = [];
        for (let f = this.cur; f; f = f.parent) out.push({ where: f.where, file: f.file, line: f.line });
        return out;
    }

    stack(): readonly StackFrame[] {
        return this.stackFrames().reverse();
    }

    /** Ensures the static initialiser of a class has run (once per transaction / test). */
    initStatics(c: ClassInfo): void {
        if (c.staticState !== 0) return;
        c.staticState = 1;
        if (c.superclass && c.superclass.decl) this.initStatics(c.superclass);
        if (c.outer) this.initStatics(c.outer);
        this.compiler.compileStaticInit(c);
        if (c.staticInit) {
            const fr = new Frame(
                null,
                null,
                this.cur,
                64,
                `Class.${c.displayName}: static initializer`,
                c.file
            );
            this.push(fr);
            try {
                c.staticInit(fr);
            } finally {
                this.pop(fr);
            }
        }
        c.staticState = 2;
    }

    /** Resets all static state (each test method / transaction starts fresh). */
    resetStatics(): void {
        const reset = (c: ClassInfo | EnumInfo): void => {
            if (c instanceof ClassInfo) {
                c.statics = Object.create(null);
                c.staticState = 0;
                for (const i of c.inner.values()) reset(i);
            }
        };
        for (const c of this.classes.values()) reset(c);
    }

    push(fr: Frame): void {
        if (++this.depth > 1000) {
            this.depth--;
            throw new ApexError('LimitException', 'Maximum stack depth reached: 1001');
        }
        this.cur = fr;
    }

    pop(fr: Frame): void {
        this.depth--;
        this.cur = fr.parent;
    }

    /** Calls a user method with already-evaluated arguments (the caller keeps its array). */
    invoke(m: MethodInfo, self: ApexObject | null, args: unknown[]): unknown {
        return this.invokeFresh(m, self, args.slice());
    }

    /**
     * Like invoke, for compiled call sites whose argument array is freshly allocated and owned by the
     * call: the array becomes the callee's local-variable slots (no copy).
     */
    invokeFresh(m: MethodInfo, self: ApexObject | null, args: unknown[]): unknown {
        if (m.body === null) this.compiler.compileMethod(m);
        const conv = m.paramConv!;
        for (let i = 0; i < args.length; i++) {
            const c = conv[i];
            if (c !== null) args[i] = c(args[i]);
        }
        if (args.length < m.nLocals) args.length = m.nLocals;
        let fr = m.pool.pop();
        if (fr === undefined) fr = new Frame(m, self, this.cur, 0, m.where, m.cls.file, args);
        else {
            fr.t = self;
            fr.parent = this.cur;
            fr.l = args;
            fr.r = null;
            fr.line = m.line;
        }
        if (++this.depth > 1000) {
            this.depth--;
            throw new ApexError('LimitException', 'Maximum stack depth reached: 1001');
        }
        this.cur = fr;
        try {
            if (m.prologue) m.prologue(fr);
            m.body!(fr);
            return fr.r;
        } finally {
            this.depth--;
            this.cur = fr.parent;
            fr.l = NO_LOCALS;
            fr.t = null;
            m.pool.push(fr);
        }
    }

    /** Chooses among overloads by arity and run-time argument types. */
    select(ms: readonly MethodInfo[], args: readonly unknown[], what: string): MethodInfo {
        let best: MethodInfo | null = null;
        let bestScore = -1;
        for (const m of ms) {
            if (m.params.length !== args.length) continue;
            let score = 1;
            for (let i = 0; i < args.length && score > 0; i++)
                score =
                    this.paramScore(args[i], m.params[i]) === 0
                        ? 0
                        : score + this.paramScore(args[i], m.params[i]);
            if (score > bestScore) {
                best = m;
                bestScore = score;
            }
        }
        if (!best || bestScore === 0) {
            const cand = ms.filter((m) => m.params.length === args.length);
            if (cand.length === 1) return cand[0];
            if (cand.length === 0) {
                throw new ApexCompileError(
                    `Method does not exist or incorrect signature: ${what}(${args.map((a) => runtimeTypeName(a)).join(', ')})`,
                    this.pos()
                );
            }
            throw new NotSupportedError(
                `method ${what} with ${args.length} argument(s) of types (${args.map((a) => runtimeTypeName(a)).join(', ')})`,
                this.pos()
            );
        }
        return best;
    }

    /** 0 = incompatible, higher = better match. */
    paramScore(v: unknown, t: TypeRef): number {
        if (v === null || v === undefined) return 1;
        if (t.name === 'object') return 1;
        if (this.isInstance(v, t)) return 3;
        // Numeric widening.
        const k = ops.numKind(v);
        if (k >= 0) {
            if (t.name === 'long' && k <= 1) return 2;
            if (t.name === 'decimal' && k <= 2) return 2;
            if (t.name === 'double' && k <= 3) return 2;
        }
        if (t.name === 'id' && typeof v === 'string') return 2;
        if (t.name === 'string' && v instanceof ApexId) return 2;
        return 0;
    }

    // ------------------------------------------------------------------------------------------
    // Objects

    /** Creates an instance of a user class (runs field initialisers and the matching constructor). */
    construct(c: ClassInfo, args: unknown[]): ApexObject {
        if (c.staticState !== 2) this.initStatics(c);
        if (c.kind === 'interface' || c.decl?.mods.keywords.has('abstract')) {
            throw new ApexError(
                'TypeException',
                `Cannot instantiate abstract class or interface ${c.displayName}`
            );
        }
        const obj = new ApexObject(c, Object.create(null));
        this.runConstructor(c, obj, args);
        return obj;
    }

    runConstructor(c: ClassInfo, obj: ApexObject, args: unknown[]): void {
        if (!c.decl) {
            // Built-in exception constructors: (), (String), (Exception), (String, Exception).
            this.initException(obj, args);
            return;
        }
        if (c.ctors.length === 0) {
            if (args.length > 0) {
                if (c.isException) {
                    if (c.superclass) this.runConstructor(c.superclass, obj, args);
                    this.runInstanceInit(c, obj);
                    return;
                }
                throw new NotSupportedError(
                    `constructor ${c.displayName} with ${args.length} argument(s)`,
                    this.pos()
                );
            }
            if (c.superclass) this.runConstructor(c.superclass, obj, []);
            this.runInstanceInit(c, obj);
            return;
        }
        const m = this.select(c.ctors, args, `${c.displayName} constructor`);
        this.invoke(m, obj, args);
    }

    runInstanceInit(c: ClassInfo, obj: ApexObject): void {
        if (c.instanceInit === null) this.compiler.compileInstanceInit(c);
        if (c.instanceInitLocals < 0) return;
        const fr = new Frame(
            null,
            obj,
            this.cur,
            c.instanceInitLocals,
            `Class.${c.displayName}: instance initializer`,
            c.file
        );
        this.push(fr);
        try {
            c.instanceInit!(fr);
        } finally {
            this.pop(fr);
        }
    }

    initException(obj: ApexObject, args: unknown[]): void {
        const f = obj.f;
        f.$frames = this.stackFrames();
        f.$message = null;
        f.$cause = null;
        if (args.length === 1) {
            if (args[0] instanceof ApexObject && args[0].cls.isException) f.$cause = args[0];
            else f.$message = args[0] === null ? null : ops.stringOf(args[0]);
        } else if (args.length === 2) {
            f.$message = args[0] === null ? null : ops.stringOf(args[0]);
            f.$cause = args[1];
        }
    }

    newException(type: string, message: string | null, cause: ApexObject | null = null): ApexObject {
        const r = this.resolveLower(type.toLowerCase().split('.'), null);
        const c = r && r.k === 'class' ? r.cls : this.defineException(type.replace(/^System\./, ''));
        const obj = new ApexObject(c, Object.create(null));
        this.initException(obj, []);
        obj.f.$message = message;
        obj.f.$cause = cause;
        return obj;
    }

    throwException(type: string, message: string | null): never {
        throw this.newException(type, message);
    }

    /** Converts anything thrown inside Apex code into an Apex exception object (or rethrows host errors). */
    toApexException(e: unknown): ApexObject | null {
        if (e instanceof ApexObject) return e;
        if (e instanceof ApexError) {
            const obj = this.newException(e.type, e.message);
            obj.f.$frames = e.frames;
            return obj;
        }
        if (e instanceof RangeError && /call stack/i.test(e.message)) {
            const obj = this.newException('LimitException', 'Maximum stack depth reached: 1001');
            return obj;
        }
        return null;
    }

    newInstance(typeName: string, args: unknown[]): unknown {
        const t = this.resolveTypeName(typeName);
        if (!t) throw new ApexError('TypeException', `Unknown type: ${typeName}`);
        return this.compiler.instantiate(t, args, this.pos());
    }

    invokeMethod(target: unknown, method: string, args: unknown[]): unknown {
        return this.compiler.callOn(target, method.toLowerCase(), args, null, this.pos());
    }

    invokeStatic(typeName: string, method: string, args: unknown[]): unknown {
        const r = this.resolveLower(typeName.toLowerCase().split('.'), null);
        if (!r) throw new ApexError('TypeException', `Unknown type: ${typeName}`);
        return this.compiler.callStaticResolved(r, method.toLowerCase(), args, this.pos());
    }

    /**
     * Evaluates the text of a bind expression (`:name`, `:obj.field`) in the scope of the Apex code
     * that is running (the caller of Database.query): its locals, fields and statics.
     */
    evalBind(text: string): unknown {
        const fr = this.cur;
        if (!fr) throw new NotSupportedError(`bind variable :${text} outside Apex code`, this.pos());
        const m = fr.m;
        const cls = m?.cls ?? (fr.t?.cls as ClassInfo | undefined);
        if (!cls) throw new NotSupportedError(`bind variable :${text}`, this.pos());
        const key = `${text}`;
        let cache = this.bindCache.get(m ?? cls);
        if (!cache) {
            cache = new Map();
            this.bindCache.set(m ?? cls, cache);
        }
        let ev = cache.get(key);
        if (!ev) {
            ev = this.compiler.compileInMethod(lowerExpressionText(fr.file, text), m, cls, fr.t === null);
            cache.set(key, ev);
        }
        return ev(fr);
    }
    private readonly bindCache = new WeakMap<object, Map<string, (fr: Frame) => unknown>>();

    stringOf(v: unknown): string {
        return ops.stringOf(v);
    }

    equals(a: unknown, b: unknown): boolean {
        return ops.equals(a, b);
    }

    private objEquals(a: ApexObject, b: unknown): boolean | undefined {
        const ms = a.cls.vtable.get('equals');
        if (!ms) return a === b;
        const m = ms.find((x) => x.params.length === 1);
        if (!m) return a === b;
        return this.invoke(m, a, [b]) === true;
    }

    private objHashKey(o: ApexObject): unknown {
        const ms = o.cls.vtable.get('hashcode');
        const eq = o.cls.vtable.get('equals');
        if (!ms || !eq) return o;
        const m = ms.find((x) => x.params.length === 0);
        if (!m) return o;
        const h = this.invoke(m, o, []);
        // Objects with equal hashCode are distinguished by equals() in the collection natives.
        return `O:${o.cls.name}:${String(h)}`;
    }

    private objToString(o: ApexObject): string {
        const ms = o.cls.vtable.get('tostring');
        const m = ms?.find((x) => x.params.length === 0);
        if (m) return ops.stringOf(this.invoke(m, o, []));
        if (o.cls.isException) {
            const msg = o.f.$message;
            return `${this.exceptionTypeName(o)}: ${msg === null || msg === undefined ? 'null' : String(msg)}`;
        }
        // Apex prints the class name and its fields: MyClass:[a=1, b=x].
        const parts: string[] = [];
        for (let c: ClassInfo | null = o.cls as ClassInfo; c; c = c.superclass) {
            for (const f of c.fields.values()) {
                if (f.accessor) continue;
                const v = o.f[f.lname];
                parts.push(`${f.name}=${v === o ? o.cls.displayName : ops.stringOf(v ?? null)}`);
            }
        }
        return `${o.cls.displayName}:[${parts.join(', ')}]`;
    }

    /** Exception type name as Apex prints it: System.X for built-ins, the class name for user types. */
    exceptionTypeName(o: ApexObject): string {
        if (o.cls.decl) return o.cls.displayName;
        return o.cls.displayName.includes('.') ? o.cls.displayName : `System.${o.cls.displayName}`;
    }

    /** Apex stack trace text of an exception object. */
    stackTraceString(o: ApexObject): string {
        const frames = (o.f.$frames as StackFrame[] | undefined) ?? [];
        return frames
            .filter((f) => f.where !== '')
            .map((f) => `${f.where}: line ${f.line}, column 1`)
            .join('\n');
    }

    // ------------------------------------------------------------------------------------------
    // Triggers

    runTriggers(sobjectType: string, event: TriggerEvent, vars: TriggerVariables): void {
        const lname = sobjectType.toLowerCase();
        for (const t of this.triggers) {
            if (t.sobject !== lname || !t.events.has(event)) continue;
            if (t.method.body === null) this.compiler.compileTrigger(t);
            this.triggerStack.push({ sobject: sobjectType, event, vars });
            const fr = new Frame(t.method, null, this.cur, t.method.nLocals, `Trigger.${t.name}`, t.file);
            this.push(fr);
            try {
                t.method.body!(fr);
            } finally {
                this.pop(fr);
                this.triggerStack.pop();
            }
        }
    }

    /** Runs anonymous Apex (statements plus any members declared in it). */
    runAnonymousUnit(unit: A.CompilationUnit): void {
        this.prepareAnonymous(unit)();
    }

    /** Binds and compiles anonymous Apex once; the returned function runs it (in the current transaction). */
    prepareAnonymous(unit: A.CompilationUnit): () => void {
        const d = unit.decl;
        if (d.kind !== 'anonymous') throw new Error('not anonymous Apex');
        this.registerLines(unit.file, d);
        const name = `anonymous${++this.anonCounter}`;
        const c = new ClassInfo(name, 'AnonymousBlock', 'class', d.members, unit.file, null);
        this.classes.set(name, c);
        for (const inner of d.members.inner)
            c.inner.set(inner.name.toLowerCase(), this.declareInner(inner, unit.file, c));
        const linkTree = (k: ClassInfo): void => {
            this.link(k);
            for (const i of k.inner.values()) if (i instanceof ClassInfo) linkTree(i);
        };
        linkTree(c);
        const body: A.MethodDecl = {
            kind: 'method',
            mods: { annotations: [], keywords: new Set(['static']) },
            returnType: null,
            name: 'execute',
            params: [],
            body: d.body,
            line: 1,
            endLine: d.body.endLine
        };
        const m = new MethodInfo('execute', c, body, true, [], [], T.void, 1, new Set(), new Set(['static']));
        this.compiler.compileMethod(m);
        return () => {
            const fr = new Frame(m, null, null, m.nLocals, 'AnonymousBlock', unit.file);
            this.push(fr);
            try {
                m.body!(fr);
            } finally {
                this.pop(fr);
            }
        };
    }

    private declareInner(d: A.TypeDecl, file: string, outer: ClassInfo): ClassInfo | EnumInfo {
        return this.declare(d, file, outer);
    }

    /** Coverage map for a file. */
    fileCoverage(file: string): Coverage | undefined {
        return this.coverage.get(file);
    }

    /** Every loaded compilation unit. */
    loadedUnits(): readonly A.CompilationUnit[] {
        return this.units;
    }
}

function sameSignature(a: MethodInfo, b: MethodInfo): boolean {
    if (a.params.length !== b.params.length) return false;
    for (let i = 0; i < a.params.length; i++)
        if (typeToString(a.params[i]).toLowerCase() !== typeToString(b.params[i]).toLowerCase()) return false;
    return true;
}

interface ParsedType {
    parts: string[];
    args: ParsedType[];
}

/** Parses 'Map<String, List<Account>>' style names. */
export function parseTypeString(s: string): ParsedType | null {
    let i = 0;
    const ws = (): void => {
        while (i < s.length && /\s/.test(s[i])) i++;
    };
    const one = (): ParsedType | null => {
        ws();
        const m = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(s.slice(i));
        if (!m) return null;
        i += m[0].length;
        const t: ParsedType = { parts: m[0].split('.'), args: [] };
        ws();
        if (s[i] === '<') {
            i++;
            for (;;) {
                const a = one();
                if (!a) return null;
                t.args.push(a);
                ws();
                if (s[i] === ',') {
                    i++;
                    continue;
                }
                if (s[i] === '>') {
                    i++;
                    break;
                }
                return null;
            }
        }
        ws();
        while (s.slice(i, i + 2) === '[]') {
            i += 2;
            return { parts: ['List'], args: [t] };
        }
        return t;
    };
    const t = one();
    ws();
    return t && i === s.length ? t : null;
}

/**
 * "Static methods, variables, or initialization code are associated with a class, and are only allowed in
 * outer classes" (Apex Developer Guide, "Static and Instance Methods, Variables, and Initialization Code").
 * Enforced for variables (fields and properties), with the compiler's message; org compilers accept static
 * methods in inner classes, so they are left alone.
 */
function rejectStaticVariables(d: A.ClassDecl, file: string): void {
    for (const member of [...d.fields, ...d.properties]) {
        if (member.mods.keywords.has('static'))
            throw new ApexCompileError('Only top-level class variables can be declared static', {
                file,
                line: member.line
            });
    }
}
