/**
 * Compiles the syntax tree of a method body to JavaScript closures. Names are resolved here,
 * once: a local becomes an array slot, a field a property read, a static a class-storage read,
 * a type name a resolved type; only receiver-dependent dispatch happens at run time (with a
 * per-call-site cache).
 */
import type * as A from '../front/ast.js';
import { npe, raise } from '../runtime/errors.js';
import { NotSupportedError } from '../runtime/hooks.js';
import type { SObjectFactory, SourcePos } from '../runtime/hooks.js';
import { findNative } from '../runtime/natives.js';
import type { NativeType } from '../runtime/natives.js';
import * as ops from '../runtime/ops.js';
import {
    ApexDouble,
    ApexId,
    ApexList,
    ApexMap,
    ApexObject,
    ApexSet,
    Decimal,
    EnumValue,
    NativeObject,
    T,
    TypeToken,
    isSObject,
    runtimeTypeName,
    typeToString
} from '../runtime/values.js';
import type { SObjectValue, TypeRef } from '../runtime/values.js';
import type { Interpreter, Resolved } from './interpreter.js';
import { ApexCompileError, BRK, CONT, ClassInfo, Frame, MethodInfo, RET } from './model.js';
export { ApexCompileError };
import type { Ev, FieldInfo, St, TriggerInfo } from './model.js';

interface Fn {
    readonly cls: ClassInfo;
    readonly isStatic: boolean;
    nSlots: number;
    readonly method: MethodInfo | null;
    /** Lower-case property name when compiling its accessor (the name then means the backing field). */
    readonly prop: string | null;
    readonly file: string;
    readonly hits: Int32Array | null;
    readonly trigger: TriggerInfo | null;
    /** Every local declared in the body, by lower-case name (for dynamic SOQL binds). */
    readonly names: Map<string, Var>;
}

interface Var {
    readonly slot: number;
    readonly type: TypeRef;
}

class Scope {
    readonly vars = new Map<string, Var>();
    constructor(
        readonly parent: Scope | null,
        readonly fn: Fn
    ) {}
    lookup(lname: string): Var | undefined {
        return this.vars.get(lname) ?? this.parent?.lookup(lname);
    }
    declare(name: string, type: TypeRef, pos: SourcePos): Var {
        const lname = name.toLowerCase();
        if (this.lookup(lname)) throw new ApexCompileError(`Duplicate variable: ${name}`, pos);
        const v = { slot: this.fn.nSlots++, type };
        this.vars.set(lname, v);
        this.fn.names.set(lname, v);
        return v;
    }
}

type Ref = { k: 'val'; ev: Ev } | { k: 'type'; r: Resolved } | { k: 'ns'; parts: string[] };

interface CallSite {
    c: unknown;
    m: MethodInfo | null;
    /** Native call cache: receiver type key (typeof, constructor or native type name) -> function. */
    tn?: unknown;
    f?: (ctx: Interpreter, self: unknown, args: unknown[]) => unknown;
}

const NO_ARGS: unknown[] = [];

/** Marks a short-circuited safe-navigation chain while it is evaluated (never escapes `expr`). */
const SHORT: unknown = Symbol('safe navigation short circuit');

function chainHasSafe(e: A.Expr): boolean {
    for (let x: A.Expr | null = e; x; ) {
        if (x.kind === 'field' || x.kind === 'call') {
            if (x.safe) return true;
            x = x.target;
        } else if (x.kind === 'index') x = x.target;
        else return false;
    }
    return false;
}

export class Compiler {
    private targetDepth = 0;
    constructor(private readonly ip: Interpreter) {}

    // ------------------------------------------------------------------------------------------
    // Entry points

    private newFn(
        cls: ClassInfo,
        isStatic: boolean,
        method: MethodInfo | null,
        prop: string | null,
        trigger: TriggerInfo | null = null
    ): Fn {
        const file = trigger ? trigger.file : cls.file;
        return {
            cls,
            isStatic,
            nSlots: 0,
            method,
            prop,
            file,
            hits: this.ip.coverage.get(file)?.hits ?? null,
            trigger,
            names: new Map()
        };
    }

    /**
     * Compiles an expression as if written inside `m` (its locals, fields and statics visible), for
     * `Database.query` bind variables. A local declared twice in different blocks resolves to the later.
     */
    compileInMethod(e: A.Expr, m: MethodInfo | null, cls: ClassInfo, isStatic: boolean): Ev {
        const fn = this.newFn(cls, isStatic, m, null);
        const sc = new Scope(null, fn);
        for (const [name, v] of m?.localNames ?? []) sc.vars.set(name, v);
        fn.nSlots = m?.nLocals ?? 0;
        return this.expr(e, sc);
    }

    compileMethod(m: MethodInfo): void {
        m.where = m.cls.isException && !m.cls.decl ? '' : `Class.${m.cls.displayName}.${m.name}`;
        m.paramConv = m.params.map((p) => this.coercer(p));
        const d = m.decl;
        if (!d || !d.body) {
            m.body = () => raise('TypeException', `Abstract method ${m.cls.displayName}.${m.name} called`);
            return;
        }
        const fn = this.newFn(m.cls, m.isStatic, m, m.accessorOf);
        const sc = new Scope(null, fn);
        d.params.forEach((p, i) => sc.declare(p.name, m.params[i], { file: fn.file, line: p.line }));
        let stmts = d.body.stmts;
        if (d.kind === 'ctor') {
            // Constructor prologue: this(...) or super(...) then instance initialisers.
            const first = stmts[0];
            let chain: { which: 'this' | 'super'; args: Ev[] } | null = null;
            if (first && first.kind === 'expr' && first.expr.kind === 'ctorcall') {
                chain = { which: first.expr.which, args: first.expr.args.map((a) => this.expr(a, sc)) };
                stmts = stmts.slice(1);
            }
            const cls = m.cls;
            const ip = this.ip;
            const ctorLine = d.line;
            const hits = fn.hits;
            m.prologue = (fr) => {
                const self = fr.t!;
                if (chain && chain.which === 'this') {
                    const args = chain.args.map((a) => a(fr));
                    ip.invoke(ip.select(cls.ctors, args, `${cls.displayName} constructor`), self, args);
                    return;
                }
                if (chain && hits) hits[ctorLine]++;
                const superArgs = chain ? chain.args.map((a) => a(fr)) : NO_ARGS;
                if (cls.superclass) ip.runConstructor(cls.superclass, self, superArgs);
                ip.runInstanceInit(cls, self);
            };
        }
        const body = this.block({ kind: 'block', line: d.body.line, stmts, endLine: d.body.endLine }, sc);
        m.nLocals = Math.max(fn.nSlots, m.params.length);
        m.localNames = fn.names;
        m.body = body;
    }

    compileTrigger(t: TriggerInfo): void {
        const fn = this.newFn(t.method.cls, true, t.method, null, t);
        const sc = new Scope(null, fn);
        t.method.body = this.block(t.decl.body, sc);
        t.method.nLocals = fn.nSlots;
        t.method.localNames = fn.names;
    }

    compileStaticInit(c: ClassInfo): void {
        if (c.staticInitCompiled) return;
        c.staticInit = this.initializer(c, true)?.run ?? null;
        c.staticInitCompiled = true;
    }

    compileInstanceInit(c: ClassInfo): void {
        const init = this.initializer(c, false);
        c.instanceInit = init ? init.run : () => undefined;
        c.instanceInitLocals = init ? init.locals : -1;
    }

    /**
     * Field initialisers and initializer blocks (static or instance) in source order, compiled to one
     * function; null when the class has none.
     */
    private initializer(
        c: ClassInfo,
        isStatic: boolean
    ): { run: (fr: Frame) => void; locals: number } | null {
        const d = c.decl;
        if (!d || d.kind !== 'class') return null;
        const fn = this.newFn(c, isStatic, null, null);
        const sc = new Scope(null, fn);
        const fields = isStatic ? c.staticFields : c.fields;
        const parts: { order: number; run: (fr: Frame) => void }[] = [];
        for (const f of d.fields) {
            const fi = fields.get(f.name.toLowerCase());
            if (fi && f.init)
                parts.push({ order: f.order, run: this.fieldInit(fi, f.init, sc, f.line, isStatic) });
        }
        for (const i of d.initializers) {
            if (i.isStatic !== isStatic) continue;
            const b = this.block(i.body, new Scope(sc, fn));
            parts.push({ order: i.order, run: (fr) => void b(fr) });
        }
        if (parts.length === 0) return null;
        const runs = parts.sort((x, y) => x.order - y.order).map((p) => p.run);
        return {
            run: (fr) => {
                for (const r of runs) r(fr);
            },
            locals: fn.nSlots
        };
    }

    private fieldInit(
        fi: FieldInfo,
        init: A.Expr,
        sc: Scope,
        line: number,
        isStatic: boolean
    ): (fr: Frame) => void {
        const ev = this.expr(init, sc);
        const ip = this.ip;
        const type = fi.type;
        const ln = fi.lname;
        const cls = fi.cls;
        const hits = sc.fn.hits;
        return (fr) => {
            fr.line = line;
            if (hits) hits[line]++;
            const v = ip.coerce(ev(fr), type);
            if (isStatic) cls.statics[ln] = v;
            else fr.t!.f[ln] = v;
        };
    }

    // ------------------------------------------------------------------------------------------
    // Statements

    private pos(sc: Scope, line: number): SourcePos {
        return { file: sc.fn.file, line };
    }

    block(b: A.Block, parent: Scope): St {
        const sc = new Scope(parent, parent.fn);
        const list = b.stmts.map((s) => this.stmt(s, sc));
        const n = list.length;
        if (n === 0) return () => 0;
        if (n === 1) return list[0];
        if (n === 2) {
            const [a, c] = list;
            return (fr) => a(fr) || c(fr);
        }
        return (fr) => {
            for (let i = 0; i < n; i++) {
                const r = list[i](fr);
                if (r !== 0) return r;
            }
            return 0;
        };
    }

    stmt(s: A.Stmt, sc: Scope): St {
        if (s.kind === 'block') return this.block(s, sc);
        const inner = this.stmtInner(s, sc);
        const line = s.line;
        const hits = sc.fn.hits;
        if (hits) {
            return (fr) => {
                fr.line = line;
                hits[line]++;
                return inner(fr);
            };
        }
        return (fr) => {
            fr.line = line;
            return inner(fr);
        };
    }

    private stmtInner(s: Exclude<A.Stmt, A.Block>, sc: Scope): St {
        const ip = this.ip;
        switch (s.kind) {
            case 'local': {
                const type = ip.typeRef(s.type, sc.fn.cls);
                const runs: St[] = [];
                for (const d of s.decls) {
                    const init = d.init ? this.expr(d.init, sc) : null;
                    const v = sc.declare(d.name, type, this.pos(sc, s.line));
                    const slot = v.slot;
                    const conv = this.coercer(type);
                    if (!init) runs.push((fr) => ((fr.l[slot] = null), 0));
                    else if (conv) runs.push((fr) => ((fr.l[slot] = conv(init(fr))), 0));
                    else runs.push((fr) => ((fr.l[slot] = init(fr)), 0));
                }
                if (runs.length === 1) return runs[0];
                return (fr) => {
                    for (const r of runs) r(fr);
                    return 0;
                };
            }
            case 'expr': {
                if (s.expr.kind === 'ctorcall')
                    throw new ApexCompileError(
                        'Constructor call must be the first statement',
                        this.pos(sc, s.line)
                    );
                const ev = this.expr(s.expr, sc);
                return (fr) => (ev(fr), 0);
            }
            case 'if': {
                const c = this.cond(s.cond, sc);
                const t = this.stmt(s.then, new Scope(sc, sc.fn));
                const e = s.else ? this.stmt(s.else, new Scope(sc, sc.fn)) : null;
                if (e) return (fr) => (c(fr) ? t(fr) : e(fr));
                return (fr) => (c(fr) ? t(fr) : 0);
            }
            case 'while': {
                const c = this.cond(s.cond, sc);
                const body = this.stmt(s.body, new Scope(sc, sc.fn));
                return (fr) => {
                    while (c(fr)) {
                        const r = body(fr);
                        if (r === BRK) break;
                        if (r === RET) return RET;
                    }
                    return 0;
                };
            }
            case 'do': {
                const c = this.cond(s.cond, sc);
                const body = this.stmt(s.body, new Scope(sc, sc.fn));
                return (fr) => {
                    do {
                        const r = body(fr);
                        if (r === BRK) break;
                        if (r === RET) return RET;
                    } while (c(fr));
                    return 0;
                };
            }
            case 'for': {
                const fs = new Scope(sc, sc.fn);
                const init = s.init ? this.stmt(s.init, fs) : null;
                const initExprs = s.initExprs.map((e) => this.expr(e, fs));
                const c = s.cond ? this.cond(s.cond, fs) : () => true;
                const upd = s.update.map((e) => this.expr(e, fs));
                const body = this.stmt(s.body, new Scope(fs, sc.fn));
                return (fr) => {
                    if (init) init(fr);
                    for (const e of initExprs) e(fr);
                    for (; c(fr); ) {
                        const r = body(fr);
                        if (r === BRK) break;
                        if (r === RET) return RET;
                        for (const u of upd) u(fr);
                    }
                    return 0;
                };
            }
            case 'foreach': {
                const fs = new Scope(sc, sc.fn);
                const iter = this.expr(s.iter, sc);
                const type = ip.typeRef(s.type, sc.fn.cls);
                const slot = fs.declare(s.name, type, this.pos(sc, s.line)).slot;
                const body = this.stmt(s.body, new Scope(fs, sc.fn));
                const conv = this.coercer(type);
                const chunked = type.name === 'list';
                return (fr) => {
                    const coll = iter(fr);
                    if (coll === null || coll === undefined) npe();
                    let items: unknown[];
                    if (coll instanceof ApexList) {
                        if (chunked && coll.items.length > 0 && isSObject(coll.items[0])) {
                            // SOQL for loop over List<SObject> batches of 200.
                            items = [];
                            for (let i = 0; i < coll.items.length; i += 200)
                                items.push(new ApexList(coll.elemType, coll.items.slice(i, i + 200)));
                        } else items = coll.items;
                    } else if (coll instanceof ApexSet) items = [...coll.map.values()];
                    else if (coll instanceof NativeObject || coll instanceof ApexObject)
                        items = this.iterate(coll);
                    else
                        return raise(
                            'TypeException',
                            `Loop must iterate over collection: ${runtimeTypeName(coll)}`
                        );
                    const isList = coll instanceof ApexList && items === coll.items;
                    const n = items.length;
                    for (let i = 0; i < (isList ? items.length : n); i++) {
                        fr.l[slot] = conv ? conv(items[i]) : items[i];
                        const r = body(fr);
                        if (r === BRK) break;
                        if (r === RET) return RET;
                    }
                    return 0;
                };
            }
            case 'return': {
                if (!s.value) return () => RET;
                const v = this.expr(s.value, sc);
                const rt = sc.fn.method?.returnType;
                const conv = rt ? this.coercer(rt) : null;
                if (conv) return (fr) => ((fr.r = conv(v(fr))), RET);
                return (fr) => ((fr.r = v(fr)), RET);
            }
            case 'throw': {
                const v = this.expr(s.value, sc);
                return (fr) => {
                    const ex = v(fr);
                    if (ex === null || ex === undefined) npe();
                    throw ex;
                };
            }
            case 'break':
                return () => BRK;
            case 'continue':
                return () => CONT;
            case 'try':
                return this.tryStmt(s, sc);
            case 'switch':
                return this.switchStmt(s, sc);
            case 'dml': {
                const target = this.expr(s.target, sc);
                const extra = s.extra ? this.expr(s.extra, sc) : null;
                const op = s.op;
                const ext = s.externalIdField;
                const al = s.accessLevel ?? undefined;
                const file = sc.fn.file;
                const line = s.line;
                return (fr) => {
                    const t = target(fr);
                    ip.hooks.dml.execute(
                        ip,
                        { op, target: t, extra: extra ? extra(fr) : ext, accessLevel: al },
                        { file, line }
                    );
                    return 0;
                };
            }
            case 'runas': {
                const args = s.args.map((a) => this.expr(a, sc));
                const body = this.block(s.body, sc);
                return (fr) => {
                    const vals = args.map((a) => a(fr));
                    const saved = ip.user;
                    const rec = vals[0];
                    if (isSObject(rec)) {
                        // Fields not queried on the runAs record are read from the user record by the data side.
                        const get = (f: string): string => {
                            const v = [...rec.populatedFields()].find(
                                ([k]) => k.toLowerCase() === f.toLowerCase()
                            )?.[1];
                            return ops.stringOf(v ?? '');
                        };
                        const id = rec.get('Id');
                        ip.user = {
                            ...saved,
                            id: id instanceof ApexId ? id : saved.id,
                            userName: get('Username') || saved.userName,
                            firstName: get('FirstName'),
                            lastName: get('LastName') || saved.lastName,
                            email: get('Email') || saved.email,
                            timeZone: get('TimeZoneSidKey') || saved.timeZone,
                            locale: get('LocaleSidKey') || saved.locale,
                            language: get('LanguageLocaleKey') || saved.language,
                            customPermissions: new Set(),
                            extra: { record: rec }
                        };
                    }
                    try {
                        return body(fr);
                    } finally {
                        ip.user = saved;
                    }
                };
            }
            default:
                throw new NotSupportedError(
                    `statement ${(s as { kind: string }).kind}`,
                    this.pos(sc, (s as { line: number }).line)
                );
        }
    }

    /** Items of an Iterable<T> implemented by a user class or native (iterator().hasNext()/next()). */
    private iterate(coll: unknown): unknown[] {
        const it = this.callOn(coll, 'iterator', [], null, this.ip.pos());
        const out: unknown[] = [];
        while (this.callOn(it, 'hasnext', [], null, this.ip.pos()) === true)
            out.push(this.callOn(it, 'next', [], null, this.ip.pos()));
        return out;
    }

    private tryStmt(s: Extract<A.Stmt, { kind: 'try' }>, sc: Scope): St {
        const ip = this.ip;
        const body = this.block(s.body, sc);
        const catches = s.catches.map((c) => {
            const cs = new Scope(sc, sc.fn);
            const r = ip.resolveType(c.type.parts, sc.fn.cls, c.line, sc.fn.file, true);
            const tname = r && r.k === 'class' ? r.cls.name : c.type.parts.join('.').toLowerCase();
            if (!r || r.k !== 'class' || !r.cls.isException)
                throw new ApexCompileError(
                    `Invalid exception type: ${c.type.parts.join('.')}`,
                    this.pos(sc, c.line)
                );
            const slot = cs.declare(c.name, r.ref, this.pos(sc, c.line)).slot;
            return { tname, slot, body: this.block(c.body, cs) };
        });
        const fin = s.finally ? this.block(s.finally, sc) : null;
        const run = (fr: Frame): number => {
            const saved = ip.cur;
            const depth = ip.depth;
            try {
                return body(fr);
            } catch (e) {
                const ex = ip.toApexException(e);
                if (!ex) throw e;
                ip.cur = saved;
                ip.depth = depth;
                // LimitException cannot be caught (Apex Developer Guide, "Exception Class and Built-In Exceptions").
                if (ex.cls.name === 'limitexception') throw ex;
                // "You can’t catch an assertion failure using a try/catch block even though it’s logged as an exception."
                if (ex.cls.name === 'assertexception') throw ex;
                for (const c of catches) {
                    if (ex.cls.isSubtypeOf(c.tname)) {
                        fr.l[c.slot] = ex;
                        return c.body(fr);
                    }
                }
                throw ex;
            }
        };
        if (!fin) return run;
        return (fr) => {
            let r = 0;
            let thrown: unknown = null;
            let threw = false;
            try {
                r = run(fr);
            } catch (e) {
                threw = true;
                thrown = e;
            }
            const fr2 = fin(fr);
            if (fr2 !== 0) return fr2;
            if (threw) throw thrown;
            return r;
        };
    }

    private switchStmt(s: Extract<A.Stmt, { kind: 'switch' }>, sc: Scope): St {
        const ip = this.ip;
        const subject = this.expr(s.subject, sc);
        type Arm = { test: (v: unknown, fr: Frame) => boolean; body: St };
        const arms: Arm[] = [];
        let elseBody: St | null = null;
        for (const w of s.whens) {
            const ws = new Scope(sc, sc.fn);
            if (w.match.kind === 'else') {
                elseBody = this.block(w.body, ws);
                continue;
            }
            if (w.match.kind === 'type') {
                const type = ip.typeRef(w.match.type, sc.fn.cls);
                const slot = ws.declare(w.match.name, type, this.pos(sc, w.line)).slot;
                arms.push({
                    test: (v, fr) => {
                        if (!ip.isInstance(v, type)) return false;
                        fr.l[slot] = v;
                        return true;
                    },
                    body: this.block(w.body, ws)
                });
                continue;
            }
            const tests = w.match.values.map((lit): ((v: unknown) => boolean) => {
                switch (lit.kind) {
                    case 'int':
                        return (v) => v !== null && ops.numKind(v) >= 0 && ops.equals(v, lit.value);
                    case 'long':
                        return (v) => v !== null && ops.numKind(v) >= 0 && ops.equals(v, lit.value);
                    case 'string':
                        // Switch on String is case-sensitive (inferred from String.equals semantics; see conformance).
                        return (v) => (v instanceof ApexId ? v.v : v) === lit.value;
                    case 'null':
                        return (v) => v === null || v === undefined;
                    default: {
                        const name = lit.parts[lit.parts.length - 1].toLowerCase();
                        return (v) => v instanceof EnumValue && v.name.toLowerCase() === name;
                    }
                }
            });
            arms.push({ test: (v) => tests.some((t) => t(v)), body: this.block(w.body, ws) });
        }
        return (fr) => {
            const v = subject(fr);
            for (const a of arms) if (a.test(v, fr)) return a.body(fr);
            if (elseBody) return elseBody(fr);
            return 0;
        };
    }

    // ------------------------------------------------------------------------------------------
    // Expressions

    private cond(e: A.Expr, sc: Scope): (fr: Frame) => boolean {
        const ev = this.expr(e, sc);
        return (fr) => {
            const v = ev(fr);
            if (v === true) return true;
            if (v === false) return false;
            return ops.truth(v);
        };
    }

    /** A converter for assignment to `type`, or null when values never need converting. */
    coercer(type: TypeRef): ((v: unknown) => unknown) | null {
        const ip = this.ip;
        switch (type.name) {
            case 'long':
            case 'double':
            case 'decimal':
            case 'id':
            case 'string':
                return (v) => (v === null || v === undefined ? null : ip.coerce(v, type));
            default:
                // A SOQL query assigned to a single SObject (data side): QueryException unless exactly one row.
                if (!type.args && (type.name === 'sobject' || ip.hooks.sobjects.isSObjectType(type.name))) {
                    return (v) => {
                        if (!(v instanceof ApexList)) return v;
                        if (v.items.length === 0)
                            return raise('QueryException', 'List has no rows for assignment to SObject');
                        if (v.items.length > 1)
                            return raise(
                                'QueryException',
                                'List has more than 1 row for assignment to SObject'
                            );
                        return v.items[0];
                    };
                }
                return null;
        }
    }

    expr(e: A.Expr, sc: Scope): Ev {
        // `a?.b.c()`: a null before `?.` makes the whole member chain null (safe navigation).
        if (
            (e.kind === 'field' || e.kind === 'call' || e.kind === 'index') &&
            this.targetDepth === 0 &&
            chainHasSafe(e)
        ) {
            const inner = this.expr1(e, sc);
            return (fr) => {
                const v = inner(fr);
                return v === SHORT ? null : v;
            };
        }
        return this.expr1(e, sc);
    }

    /** Compiles the target of a member access / call / index (not the top of a chain). */
    private asTarget<R>(f: () => R): R {
        this.targetDepth++;
        try {
            return f();
        } finally {
            this.targetDepth--;
        }
    }

    /** Compiles arguments and indexes: each is the top of its own chain. */
    private notTarget<R>(f: () => R): R {
        const saved = this.targetDepth;
        this.targetDepth = 0;
        try {
            return f();
        } finally {
            this.targetDepth = saved;
        }
    }

    private expr1(e: A.Expr, sc: Scope): Ev {
        const ip = this.ip;
        switch (e.kind) {
            case 'literal': {
                let v: unknown;
                switch (e.type) {
                    case 'decimal':
                        v = Decimal.parse(e.value as string);
                        break;
                    case 'double':
                        v = new ApexDouble(e.value as number);
                        break;
                    default:
                        v = e.value;
                }
                return () => v;
            }
            case 'name':
            case 'field': {
                const r = this.ref(e, sc);
                if (r.k === 'val') return r.ev;
                if (r.k === 'type')
                    throw new ApexCompileError(
                        `Type used as a value: ${typeToString(r.r.ref)}`,
                        this.pos(sc, e.line)
                    );
                throw new ApexCompileError(
                    `Variable does not exist: ${r.parts.join('.')}`,
                    this.pos(sc, e.line)
                );
            }
            case 'this':
            case 'super':
                if (sc.fn.isStatic)
                    throw new ApexCompileError(
                        `${e.kind} is not allowed in a static context`,
                        this.pos(sc, e.line)
                    );
                return (fr) => fr.t;
            case 'call':
                return this.call(e, sc);
            case 'ctorcall':
                throw new ApexCompileError(
                    'Constructor call must be the first statement in a constructor',
                    this.pos(sc, e.line)
                );
            case 'index': {
                const t = this.asTarget(() => this.expr(e.target, sc));
                const i = this.notTarget(() => this.expr(e.index, sc));
                return (fr) => listGet(t(fr), i(fr));
            }
            case 'new':
                return this.newExpr(e, sc);
            case 'newarray': {
                const type = ip.typeRef(e.type, sc.fn.cls);
                const elem = type.args![0];
                if (e.size) {
                    const size = this.expr(e.size, sc);
                    return (fr) => {
                        const n = size(fr);
                        if (typeof n !== 'number') return npe();
                        if (n < 0) raise('ListException', `Invalid list size: ${n}`);
                        return new ApexList(elem, new Array(n).fill(null));
                    };
                }
                const items = (e.init ?? []).map((x) => this.expr(x, sc));
                const conv = this.coercer(elem);
                return (fr) =>
                    new ApexList(
                        elem,
                        items.map((x) => (conv ? conv(x(fr)) : x(fr)))
                    );
            }
            case 'newcoll':
                return this.newColl(e, sc);
            case 'cast': {
                const type = ip.typeRef(e.type, sc.fn.cls);
                const v = this.expr(e.expr, sc);
                return (fr) => this.cast(v(fr), type);
            }
            case 'unary': {
                const v = this.expr(e.expr, sc);
                switch (e.op) {
                    case '-':
                        return (fr) => ops.negate(v(fr));
                    case '+':
                        return v;
                    case '!':
                        return (fr) => !ops.truth(v(fr));
                    default:
                        return (fr) => {
                            const x = v(fr);
                            if (typeof x === 'number') return ~x;
                            if (typeof x === 'bigint') return ~x;
                            return npe();
                        };
                }
            }
            case 'incdec': {
                const acc = this.lvalue(e.target, sc);
                const delta = e.op === '++' ? 1 : -1;
                const prefix = e.prefix;
                return (fr) => {
                    const h = acc.prep(fr);
                    const old = acc.get(fr, h);
                    if (old === null || old === undefined) npe();
                    const nv = typeof old === 'number' ? (old + delta) | 0 : ops.arith(old, delta, '+');
                    acc.set(fr, h, nv);
                    return prefix ? nv : old;
                };
            }
            case 'binary':
                return this.binary(e, sc);
            case 'instanceof': {
                const type = ip.typeRef(e.type, sc.fn.cls);
                const v = this.expr(e.expr, sc);
                return (fr) => ip.isInstance(v(fr), type);
            }
            case 'cond': {
                const c = this.cond(e.cond, sc);
                const a = this.expr(e.then, sc);
                const b = this.expr(e.else, sc);
                return (fr) => (c(fr) ? a(fr) : b(fr));
            }
            case 'assign':
                return this.assign(e, sc);
            case 'typeref': {
                const type = ip.typeRef(e.type, sc.fn.cls);
                const tok = new TypeToken(type);
                return () => tok;
            }
            case 'soql': {
                const binds = e.binds.map((b) => this.expr(b, sc));
                const file = sc.fn.file;
                const line = e.line;
                return (fr) => ip.hooks.soql.query(ip, e, (i) => binds[i](fr), { file, line });
            }
            case 'sosl': {
                const binds = e.binds.map((b) => this.expr(b, sc));
                const file = sc.fn.file;
                const line = e.line;
                return (fr) => ip.hooks.sosl.search(ip, e, (i) => binds[i](fr), { file, line });
            }
            default:
                throw new NotSupportedError(
                    `expression ${(e as { kind: string }).kind}`,
                    this.pos(sc, (e as { line: number }).line)
                );
        }
    }

    cast(v: unknown, type: TypeRef): unknown {
        if (v === null || v === undefined) return null;
        const ip = this.ip;
        if (ip.isInstance(v, type)) return v;
        const k = ops.numKind(v);
        if (k >= 0) {
            switch (type.name) {
                case 'integer':
                    if (k === 1) return Number(BigInt.asIntN(32, v as bigint));
                    break;
                case 'long':
                case 'double':
                case 'decimal':
                    return ip.coerce(v, type);
                default:
                    break;
            }
        }
        if (type.name === 'id' && typeof v === 'string') return ip.coerce(v, type);
        if (type.name === 'string' && v instanceof ApexId) return v.v;
        if (
            (type.name === 'list' || type.name === 'set' || type.name === 'map') &&
            (v instanceof ApexList || v instanceof ApexSet || v instanceof ApexMap)
        ) {
            // Casting a collection to a compatible element type re-types it (e.g. List<SObject> -> List<Account>).
            if (v instanceof ApexList && type.name === 'list' && type.args) {
                const ok = v.items.every((x) => x === null || ip.isInstance(x, type.args![0]));
                if (ok) return new ApexList(type.args[0], v.items);
            }
            if (v instanceof ApexMap && type.name === 'map' && type.args) {
                const m = new ApexMap(type.args[0], type.args[1]);
                for (const [kk, kv] of v.keys) {
                    m.keys.set(kk, kv);
                    m.values.set(kk, v.values.get(kk));
                }
                return m;
            }
            if (v instanceof ApexSet && type.name === 'set' && type.args) {
                const s = new ApexSet(type.args[0]);
                for (const [kk, kv] of v.map) s.map.set(kk, kv);
                return s;
            }
        }
        return raise(
            'TypeException',
            `Invalid conversion from runtime type ${displayRuntimeType(v)} to ${typeToString(type)}`
        );
    }

    private binary(e: Extract<A.Expr, { kind: 'binary' }>, sc: Scope): Ev {
        const a = this.expr(e.left, sc);
        const b = this.expr(e.right, sc);
        switch (e.op) {
            case '+':
                return (fr) => {
                    const x = a(fr);
                    const y = b(fr);
                    if (typeof x === 'number' && typeof y === 'number') return (x + y) | 0;
                    if (typeof x === 'string' && typeof y === 'string') return x + y;
                    return ops.add(x, y);
                };
            case '-':
                return (fr) => {
                    const x = a(fr);
                    const y = b(fr);
                    if (typeof x === 'number' && typeof y === 'number') return (x - y) | 0;
                    return ops.arith(x, y, '-');
                };
            case '*':
                return (fr) => {
                    const x = a(fr);
                    const y = b(fr);
                    if (typeof x === 'number' && typeof y === 'number') return Math.imul(x, y);
                    return ops.arith(x, y, '*');
                };
            case '/':
                return (fr) => ops.arith(a(fr), b(fr), '/');
            case '&&':
                return (fr) => ops.truth(a(fr)) && ops.truth(b(fr));
            case '||':
                return (fr) => ops.truth(a(fr)) || ops.truth(b(fr));
            case '==':
                return (fr) => {
                    const x = a(fr);
                    const y = b(fr);
                    return typeof x === 'number' && typeof y === 'number' ? x === y : ops.equals(x, y);
                };
            case '!=':
            case '<>':
                return (fr) => {
                    const x = a(fr);
                    const y = b(fr);
                    return typeof x === 'number' && typeof y === 'number' ? x !== y : !ops.equals(x, y);
                };
            case '===':
                return (fr) => ops.exactEquals(a(fr), b(fr));
            case '!==':
                return (fr) => !ops.exactEquals(a(fr), b(fr));
            case '<':
                return (fr) => {
                    const x = a(fr);
                    const y = b(fr);
                    return typeof x === 'number' && typeof y === 'number' ? x < y : ops.compare(x, y, '<');
                };
            case '<=':
                return (fr) => {
                    const x = a(fr);
                    const y = b(fr);
                    return typeof x === 'number' && typeof y === 'number' ? x <= y : ops.compare(x, y, '<=');
                };
            case '>':
                return (fr) => {
                    const x = a(fr);
                    const y = b(fr);
                    return typeof x === 'number' && typeof y === 'number' ? x > y : ops.compare(x, y, '>');
                };
            case '>=':
                return (fr) => {
                    const x = a(fr);
                    const y = b(fr);
                    return typeof x === 'number' && typeof y === 'number' ? x >= y : ops.compare(x, y, '>=');
                };
            case '&':
            case '|':
            case '^':
            case '<<':
            case '>>':
            case '>>>': {
                const op = e.op;
                return (fr) => ops.bitop(a(fr), b(fr), op);
            }
            case '??':
                return (fr) => {
                    const x = a(fr);
                    return x === null || x === undefined ? b(fr) : x;
                };
            default:
                throw new NotSupportedError(`operator ${e.op}`, this.pos(sc, e.line));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Names

    /** Resolves a name or dotted chain to a value, a type or a namespace prefix. */
    ref(e: A.Expr, sc: Scope): Ref {
        const ip = this.ip;
        if (e.kind === 'name') {
            const lname = e.name.toLowerCase();
            const v = sc.lookup(lname);
            if (v) {
                const slot = v.slot;
                return { k: 'val', ev: (fr) => fr.l[slot] };
            }
            const fe = this.fieldRef(lname, sc, e.line);
            if (fe) return { k: 'val', ev: fe };
            if (sc.fn.trigger && lname === 'trigger')
                return { k: 'type', r: ip.resolveType(['Trigger'], null, e.line, sc.fn.file)! };
            const r = ip.resolveType([e.name], sc.fn.cls, e.line, sc.fn.file, true);
            if (r) return { k: 'type', r };
            return { k: 'ns', parts: [e.name] };
        }
        if (e.kind === 'field') {
            const t = this.asTarget(() =>
                e.target.kind === 'name' || e.target.kind === 'field'
                    ? this.ref(e.target, sc)
                    : { k: 'val' as const, ev: this.expr(e.target, sc) }
            );
            const lname = e.name.toLowerCase();
            if (t.k === 'val') {
                const target = t.ev;
                const safe = e.safe;
                const name = e.name;
                // SObject receivers first: the field's lower-cased key is computed once here, per call site.
                return {
                    k: 'val',
                    ev: (fr) => {
                        const recv = target(fr);
                        return isSObjectFast(recv)
                            ? recv.getLower(lname, name)
                            : this.getMember(recv, name, lname, safe);
                    }
                };
            }
            if (t.k === 'ns') {
                const parts = [...t.parts, e.name];
                const r = ip.resolveType(parts, sc.fn.cls, e.line, sc.fn.file, true);
                if (r) return { k: 'type', r };
                return { k: 'ns', parts };
            }
            return this.staticMember(t.r, e.name, sc, e.line);
        }
        return { k: 'val', ev: this.expr(e, sc) };
    }

    /** Field / property / static visible by simple name from the current code, or null. */
    private fieldRef(lname: string, sc: Scope, line: number): Ev | null {
        const fn = sc.fn;
        // Inside a property accessor the property's own name is its backing field.
        if (fn.prop === lname) {
            const fi = fn.cls.findField(lname) ?? fn.cls.findStaticField(lname);
            if (fi && fi.isStatic) {
                const c = fi.cls;
                return () => c.statics[lname] ?? null;
            }
            return (fr) => fr.t!.f[lname] ?? null;
        }
        if (!fn.isStatic) {
            const fi = fn.cls.findField(lname);
            if (fi) {
                if (fi.accessor) return (fr) => this.readProperty(fr.t!, fi);
                return (fr) => {
                    const v = fr.t!.f[lname];
                    return v === undefined ? null : v;
                };
            }
        }
        for (let c: ClassInfo | null = fn.cls; c; c = c.outer) {
            const fi = c.findStaticField(lname);
            if (fi) return this.staticFieldGetter(fi);
            if (!fn.isStatic && c === fn.cls) continue;
        }
        if (fn.isStatic && fn.cls.findField(lname)) {
            throw new ApexCompileError(
                `Non static field cannot be referenced from a static context: ${lname}`,
                { file: fn.file, line }
            );
        }
        return null;
    }

    private staticFieldGetter(fi: FieldInfo): Ev {
        const ip = this.ip;
        const c = fi.cls;
        const ln = fi.lname;
        if (fi.accessor?.get) {
            const g = fi.accessor.get;
            return () => {
                if (c.staticState !== 2) ip.initStatics(c);
                return ip.invoke(g, null, NO_ARGS);
            };
        }
        return () => {
            if (c.staticState !== 2) ip.initStatics(c);
            const v = c.statics[ln];
            return v === undefined ? null : v;
        };
    }

    private readProperty(obj: ApexObject, fi: FieldInfo): unknown {
        const acc = fi.accessor;
        if (acc?.get) return this.ip.invoke(acc.get, obj, NO_ARGS);
        const v = obj.f[fi.lname];
        return v === undefined ? null : v;
    }

    private writeProperty(obj: ApexObject, fi: FieldInfo, v: unknown): void {
        const acc = fi.accessor;
        const cv = this.ip.coerce(v, fi.type);
        if (acc?.set) this.ip.invoke(acc.set, obj, [cv]);
        else obj.f[fi.lname] = cv;
    }

    /** `Type.member` where Type is resolved. */
    private staticMember(r: Resolved, name: string, sc: Scope, line: number): Ref {
        const ip = this.ip;
        const lname = name.toLowerCase();
        const pos = this.pos(sc, line);
        if (r.k === 'class') {
            const c = r.cls;
            const fi = c.findStaticField(lname);
            if (fi) return { k: 'val', ev: this.staticFieldGetter(fi) };
            const inner = ip.resolveType([...r.ref.name.split('.'), lname], null, line, sc.fn.file, true);
            if (inner) return { k: 'type', r: inner };
            throw new ApexCompileError(`Variable does not exist: ${c.displayName}.${name}`, pos);
        }
        if (r.k === 'enum') {
            const v = r.en.byName.get(lname);
            if (!v) throw new ApexCompileError(`Variable does not exist: ${r.en.displayName}.${name}`, pos);
            return { k: 'val', ev: () => v };
        }
        if (r.k === 'sobject') {
            const st = ip.natives.get('$SObjectStatic');
            const typeName = r.name;
            if (!st) throw new NotSupportedError(`${typeName}.${name}`, pos);
            const f = findNative(st.statics, 'field', 2);
            if (!f) throw new NotSupportedError(`${typeName}.${name}`, pos);
            return { k: 'val', ev: () => f(ip, [typeName, name]) };
        }
        const nt = r.nt;
        const inner = ip.resolveType([...r.ref.name.split('.'), lname], null, line, sc.fn.file, true);
        if (nt) {
            const g = nt.staticFields.get(lname);
            if (g) return { k: 'val', ev: () => g(ip) };
            if (inner) return { k: 'type', r: inner };
            const fb = nt.def.staticFieldFallback;
            if (fb) return { k: 'val', ev: () => fb(ip, name) };
        }
        if (inner) return { k: 'type', r: inner };
        const display = nt ? nt.name : r.ref.name;
        return { k: 'val', ev: () => raiseNotSupported(`${display}.${name}`, ip.pos()) };
    }

    /** Reads `recv.name` at run time. */
    getMember(recv: unknown, name: string, lname: string, safe: boolean): unknown {
        if (recv === null || recv === undefined) {
            if (safe) return SHORT;
            return npe();
        }
        if (recv === SHORT) return SHORT;
        if (recv instanceof ApexObject) {
            if (recv.cls.hasAccessors) {
                const fi = recv.cls.findField(lname);
                if (fi?.accessor) return this.readProperty(recv, fi);
            }
            const v = recv.f[lname];
            return v === undefined ? null : v;
        }
        if (isSObject(recv)) return recv.getLower(lname, name);
        const nt = this.nativeTypeOf(recv);
        if (nt) {
            const g = nt.getters.get(lname);
            if (g) return g(this.ip, recv);
            if (nt.def.getterFallback) return nt.def.getterFallback(this.ip, recv, name);
        }
        return raiseNotSupported(`field ${name} of ${displayRuntimeType(recv)}`, this.ip.pos());
    }

    setMember(recv: unknown, name: string, lname: string, v: unknown): void {
        if (recv === null || recv === undefined) npe();
        if (recv instanceof ApexObject) {
            const fi = recv.cls.findField(lname);
            if (fi) {
                if (fi.accessor) this.writeProperty(recv, fi, v);
                else recv.f[lname] = this.ip.coerce(v, fi.type);
                return;
            }
            recv.f[lname] = v;
            return;
        }
        if (isSObject(recv)) {
            recv.putLower(lname, name, v);
            return;
        }
        const nt = this.nativeTypeOf(recv);
        const s = nt?.setters.get(lname);
        if (s) {
            s(this.ip, recv, v);
            return;
        }
        raiseNotSupported(`assignment to field ${name} of ${displayRuntimeType(recv)}`, this.ip.pos());
    }

    // ------------------------------------------------------------------------------------------
    // Assignment

    private lvalue(
        e: A.Expr,
        sc: Scope
    ): {
        prep: (fr: Frame) => unknown;
        get: (fr: Frame, h: unknown) => unknown;
        set: (fr: Frame, h: unknown, v: unknown) => void;
    } {
        const ip = this.ip;
        if (e.kind === 'name') {
            const lname = e.name.toLowerCase();
            const v = sc.lookup(lname);
            if (v) {
                const slot = v.slot;
                const conv = this.coercer(v.type);
                return {
                    prep: () => null,
                    get: (fr) => fr.l[slot],
                    set: conv
                        ? (fr, _h, x) => void (fr.l[slot] = conv(x))
                        : (fr, _h, x) => void (fr.l[slot] = x)
                };
            }
            const fn = sc.fn;
            if (fn.prop === lname) {
                const fi = fn.cls.findField(lname) ?? fn.cls.findStaticField(lname);
                if (fi && fi.isStatic) {
                    const c = fi.cls;
                    return {
                        prep: () => null,
                        get: () => c.statics[lname] ?? null,
                        set: (_fr, _h, x) => void (c.statics[lname] = ip.coerce(x, fi.type))
                    };
                }
                const type = fi!.type;
                return {
                    prep: () => null,
                    get: (fr) => fr.t!.f[lname] ?? null,
                    set: (fr, _h, x) => void (fr.t!.f[lname] = ip.coerce(x, type))
                };
            }
            if (!fn.isStatic) {
                const fi = fn.cls.findField(lname);
                if (fi) {
                    if (fi.accessor) {
                        return {
                            prep: () => null,
                            get: (fr) => this.readProperty(fr.t!, fi),
                            set: (fr, _h, x) => this.writeProperty(fr.t!, fi, x)
                        };
                    }
                    const conv = this.coercer(fi.type);
                    return {
                        prep: () => null,
                        get: (fr) => fr.t!.f[lname] ?? null,
                        set: conv
                            ? (fr, _h, x) => void (fr.t!.f[lname] = conv(x))
                            : (fr, _h, x) => void (fr.t!.f[lname] = x)
                    };
                }
            }
            for (let c: ClassInfo | null = fn.cls; c; c = c.outer) {
                const fi = c.findStaticField(lname);
                if (fi) return this.staticLvalue(fi);
            }
            throw new ApexCompileError(`Variable does not exist: ${e.name}`, this.pos(sc, e.line));
        }
        if (e.kind === 'field') {
            const t =
                e.target.kind === 'name' || e.target.kind === 'field'
                    ? this.ref(e.target, sc)
                    : { k: 'val' as const, ev: this.expr(e.target, sc) };
            const name = e.name;
            const lname = name.toLowerCase();
            if (t.k === 'val') {
                const target = t.ev;
                return {
                    prep: (fr) => target(fr),
                    get: (_fr, h) =>
                        isSObjectFast(h) ? h.getLower(lname, name) : this.getMember(h, name, lname, false),
                    set: (_fr, h, x) => {
                        if (isSObjectFast(h)) h.putLower(lname, name, x);
                        else this.setMember(h, name, lname, x);
                    }
                };
            }
            if (t.k === 'type' && t.r.k === 'class') {
                const fi = t.r.cls.findStaticField(lname);
                if (fi) return this.staticLvalue(fi);
            }
            if (t.k === 'type' && (t.r.k === 'native' || t.r.k === 'builtin') && t.r.nt) {
                const setter = t.r.nt.staticSetters.get(lname);
                const getter = t.r.nt.staticFields.get(lname);
                if (setter)
                    return {
                        prep: () => null,
                        get: () => (getter ? getter(ip) : null),
                        set: (_fr, _h, x) => setter(ip, x)
                    };
            }
            throw new ApexCompileError(`Cannot assign to ${name}`, this.pos(sc, e.line));
        }
        if (e.kind === 'index') {
            const t = this.expr(e.target, sc);
            const i = this.expr(e.index, sc);
            return {
                prep: (fr) => [t(fr), i(fr)],
                get: (_fr, h) => listGet((h as unknown[])[0], (h as unknown[])[1]),
                set: (_fr, h, x) => listSet(ip, (h as unknown[])[0], (h as unknown[])[1], x)
            };
        }
        throw new ApexCompileError('Invalid assignment target', this.pos(sc, e.line));
    }

    private staticLvalue(fi: FieldInfo): {
        prep: (fr: Frame) => unknown;
        get: (fr: Frame, h: unknown) => unknown;
        set: (fr: Frame, h: unknown, v: unknown) => void;
    } {
        const ip = this.ip;
        const c = fi.cls;
        const ln = fi.lname;
        const get = this.staticFieldGetter(fi);
        if (fi.accessor?.set) {
            const s = fi.accessor.set;
            return {
                prep: () => null,
                get,
                set: (_fr, _h, x) => {
                    if (c.staticState !== 2) ip.initStatics(c);
                    ip.invoke(s, null, [ip.coerce(x, fi.type)]);
                }
            };
        }
        return {
            prep: () => null,
            get,
            set: (_fr, _h, x) => {
                if (c.staticState !== 2) ip.initStatics(c);
                c.statics[ln] = ip.coerce(x, fi.type);
            }
        };
    }

    private assign(e: Extract<A.Expr, { kind: 'assign' }>, sc: Scope): Ev {
        const acc = this.lvalue(e.target, sc);
        const v = this.expr(e.value, sc);
        if (e.op === '=') {
            // Fast path: plain local.
            if (e.target.kind === 'name') {
                const lv = sc.lookup(e.target.name.toLowerCase());
                if (lv && !this.coercer(lv.type)) {
                    const slot = lv.slot;
                    return (fr) => (fr.l[slot] = v(fr));
                }
            }
            return (fr) => {
                const h = acc.prep(fr);
                const x = v(fr);
                acc.set(fr, h, x);
                // The value of an assignment expression is the assigned value.
                return x;
            };
        }
        const op = e.op.slice(0, -1);
        const combine = (a: unknown, b: unknown): unknown => {
            switch (op) {
                case '+':
                    return ops.add(a, b);
                case '-':
                case '*':
                case '/':
                    return ops.arith(a, b, op);
                default:
                    return ops.bitop(a, b, op);
            }
        };
        return (fr) => {
            const h = acc.prep(fr);
            const old = acc.get(fr, h);
            const nv = combine(old, v(fr));
            acc.set(fr, h, nv);
            return nv;
        };
    }

    // ------------------------------------------------------------------------------------------
    // Object creation

    private newExpr(e: Extract<A.Expr, { kind: 'new' }>, sc: Scope): Ev {
        const ip = this.ip;
        const r = ip.resolveType(e.type.parts, sc.fn.cls, e.line, sc.fn.file);
        const file = sc.fn.file;
        const line = e.line;
        if (r!.k === 'sobject') {
            const typeName = (r as { name: string }).name;
            const named = (e.named ?? []).map((n) => ({ name: n.name, v: this.expr(n.value, sc) }));
            if (e.args.length > 0)
                throw new NotSupportedError(`positional SObject constructor arguments`, { file, line });
            const names = named.map((n) => n.name);
            let factory: SObjectFactory | undefined;
            let make: ((values: readonly unknown[]) => SObjectValue) | undefined;
            return (fr) => {
                const sobjects = ip.hooks.sobjects;
                if (sobjects !== factory) {
                    factory = sobjects;
                    make = sobjects.creator?.(typeName, names);
                }
                if (make) {
                    const values = new Array<unknown>(named.length);
                    for (let i = 0; i < named.length; i++) values[i] = named[i].v(fr);
                    return make(values);
                }
                const fields = new Map<string, unknown>();
                for (const n of named) fields.set(n.name, n.v(fr));
                return sobjects.create(ip, typeName, fields, { file, line });
            };
        }
        if (e.named)
            throw new NotSupportedError(`name=value constructor arguments for ${e.type.parts.join('.')}`, {
                file,
                line
            });
        const type = ip.typeRef(e.type, sc.fn.cls);
        const args = e.args.map((a) => this.expr(a, sc));
        const rr = r!;
        if (rr.k === 'class') {
            const c = rr.cls;
            return (fr) =>
                ip.construct(
                    c,
                    args.map((a) => a(fr))
                );
        }
        return (fr) =>
            this.instantiate(
                type,
                args.map((a) => a(fr)),
                { file, line },
                rr
            );
    }

    /** `new T(args)` for any type at run time (also used by Type.newInstance and natives). */
    instantiate(type: TypeRef, args: unknown[], pos: SourcePos, resolved?: Resolved): unknown {
        const ip = this.ip;
        const conv = (t: TypeRef | undefined) => (t ? this.coercer(t) : null);
        switch (type.name) {
            case 'list': {
                const elem = type.args?.[0] ?? T.object;
                const c = conv(elem);
                if (args.length === 0) return new ApexList(elem);
                const src = args[0];
                if (typeof src === 'number') return new ApexList(elem, []);
                if (src instanceof ApexList) return new ApexList(elem, c ? src.items.map(c) : [...src.items]);
                if (src instanceof ApexSet)
                    return new ApexList(
                        elem,
                        [...src.map.values()].map((x) => (c ? c(x) : x))
                    );
                if (src === null) return npe();
                break;
            }
            case 'set': {
                const elem = type.args?.[0] ?? T.object;
                const s = new ApexSet(elem);
                if (args.length === 0) return s;
                const src = args[0];
                if (src === null) return npe();
                const items =
                    src instanceof ApexList
                        ? src.items
                        : src instanceof ApexSet
                          ? [...src.map.values()]
                          : null;
                if (!items) break;
                const c = conv(elem);
                for (const x0 of items) {
                    const x = c ? c(x0) : x0;
                    s.map.set(ops.key(x), x);
                }
                return s;
            }
            case 'map': {
                const kt = type.args?.[0] ?? T.object;
                const vt = type.args?.[1] ?? T.object;
                const m = new ApexMap(kt, vt);
                if (args.length === 0) return m;
                const src = args[0];
                if (src === null) return npe();
                if (src instanceof ApexMap) {
                    for (const [k, kv] of src.keys) {
                        m.keys.set(k, kv);
                        m.values.set(k, src.values.get(k));
                    }
                    return m;
                }
                if (src instanceof ApexList) {
                    // Map<Id, SObject>(List<SObject>): keyed by record Id.
                    for (const rec of src.items) {
                        if (!isSObject(rec)) break;
                        const id = rec.get('Id');
                        if (id === null || id === undefined)
                            raise('ListException', 'Row with null Id at index: 0');
                        const k = ops.key(id);
                        m.keys.set(k, id);
                        m.values.set(k, rec);
                    }
                    return m;
                }
                break;
            }
            case 'object':
                if (args.length === 0) return new ApexObject(objectClass(), Object.create(null));
                break;
            default:
                break;
        }
        const r = resolved ?? ip.resolveType(type.name.split('.'), null, pos.line, pos.file, true);
        if (r && r.k === 'class') return ip.construct(r.cls, args);
        if (r && r.k === 'sobject') return ip.hooks.sobjects.create(ip, r.name, new Map(), pos);
        const nt = r && (r.k === 'native' || r.k === 'builtin') ? r.nt : undefined;
        if (nt) {
            const ctor = nt.constructors.get(String(args.length)) ?? nt.constructors.get('*');
            if (ctor) return ctor(ip, args);
        }
        throw new NotSupportedError(`constructor ${typeToString(type)}(${args.length} argument(s))`, pos);
    }

    private newColl(e: Extract<A.Expr, { kind: 'newcoll' }>, sc: Scope): Ev {
        const ip = this.ip;
        const type = ip.typeRef(e.type, sc.fn.cls);
        const file = sc.fn.file;
        const line = e.line;
        if (type.name === 'map') {
            const pairs = (e.pairs ?? []).map(([k, v]) => [this.expr(k, sc), this.expr(v, sc)] as const);
            const kt = type.args?.[0] ?? T.object;
            const vt = type.args?.[1] ?? T.object;
            const kc = this.coercer(kt);
            const vc = this.coercer(vt);
            return (fr) => {
                const m = new ApexMap(kt, vt);
                for (const [k, v] of pairs) {
                    const kv = kc ? kc(k(fr)) : k(fr);
                    const key = ops.key(kv);
                    if (!m.keys.has(key)) m.keys.set(key, kv);
                    m.values.set(key, vc ? vc(v(fr)) : v(fr));
                }
                return m;
            };
        }
        if (type.name === 'list' || type.name === 'set') {
            const elem = type.args?.[0] ?? T.object;
            const items = e.items.map((x) => this.expr(x, sc));
            const c = this.coercer(elem);
            if (type.name === 'list')
                return (fr) =>
                    new ApexList(
                        elem,
                        items.map((x) => (c ? c(x(fr)) : x(fr)))
                    );
            return (fr) => {
                const s = new ApexSet(elem);
                for (const x of items) {
                    const v = c ? c(x(fr)) : x(fr);
                    const k = ops.key(v);
                    if (!s.map.has(k)) s.map.set(k, v);
                }
                return s;
            };
        }
        if (e.items.length === 0 && !e.pairs) {
            // `new Account{}` is not Apex; `new X{}` only exists for collections.
            throw new NotSupportedError(`initializer for ${typeToString(type)}`, { file, line });
        }
        throw new NotSupportedError(`collection initializer for ${typeToString(type)}`, { file, line });
    }

    // ------------------------------------------------------------------------------------------
    // Calls

    private call(e: Extract<A.Expr, { kind: 'call' }>, sc: Scope): Ev {
        const ip = this.ip;
        const args = this.notTarget(() => e.args.map((a) => this.expr(a, sc)));
        const n = args.length;
        const lname = e.name.toLowerCase();
        const evalArgs = (fr: Frame): unknown[] => {
            if (n === 0) return [];
            const out = new Array(n);
            for (let i = 0; i < n; i++) out[i] = args[i](fr);
            return out;
        };
        const file = sc.fn.file;
        const line = e.line;
        if (e.target === null) {
            // Unqualified: methods of this class (virtual when instance), then statics of outer classes.
            const fn = sc.fn;
            const inst = fn.isStatic ? undefined : fn.cls.vtable.get(lname);
            if (inst && inst.some((m) => m.params.length === n)) {
                const site: CallSite = { c: null, m: null };
                return (fr) => {
                    const self = fr.t!;
                    const a = evalArgs(fr);
                    let m: MethodInfo;
                    if (site.c === self.cls && site.m) m = site.m;
                    else {
                        const ms = self.cls.vtable.get(lname) ?? inst;
                        m = ip.select(ms, a, `${self.cls.displayName}.${e.name}`);
                        site.c = self.cls;
                        site.m = m;
                    }
                    return m.isStatic ? ip.invokeFresh(m, null, a) : ip.invokeFresh(m, self, a);
                };
            }
            for (let c: ClassInfo | null = fn.cls; c; c = c.outer) {
                const ms = c.findStaticMethods(lname);
                if (ms && ms.some((m) => m.params.length === n))
                    return this.staticCall(ms, c, args, `${c.displayName}.${e.name}`);
            }
            // Exception built-ins called unqualified inside a custom exception class.
            if (!fn.isStatic && fn.cls.isException) {
                return (fr) => this.callOn(fr.t, lname, evalArgs(fr), null, { file, line });
            }
            throw new ApexCompileError(
                `Method does not exist or incorrect signature: ${e.name}(${n} argument(s))`,
                { file, line }
            );
        }
        if (e.target.kind === 'super') {
            const sup = sc.fn.cls.superclass;
            const ms = sup?.vtable.get(lname);
            if (!ms) {
                if (sup?.isException || sup === null)
                    return (fr) => this.callOn(fr.t, lname, evalArgs(fr), null, { file, line });
                throw new ApexCompileError(`Method does not exist: super.${e.name}`, { file, line });
            }
            return (fr) => {
                const a = evalArgs(fr);
                return ip.invoke(ip.select(ms, a, `super.${e.name}`), fr.t, a);
            };
        }
        const target0 = e.target;
        const t = this.asTarget(() =>
            target0.kind === 'name' || target0.kind === 'field'
                ? this.ref(target0, sc)
                : { k: 'val' as const, ev: this.expr(target0, sc) }
        );
        if (t.k === 'ns')
            throw new ApexCompileError(`Variable does not exist: ${t.parts.join('.')}`, { file, line });
        if (t.k === 'type') {
            const r = t.r;
            if (r.k === 'class') {
                const ms = r.cls.findStaticMethods(lname);
                if (ms) return this.staticCall(ms, r.cls, args, `${r.cls.displayName}.${e.name}`);
                throw new ApexCompileError(
                    `Method does not exist or incorrect signature: ${r.cls.displayName}.${e.name}`,
                    { file, line }
                );
            }
            // Static native methods are looked up once here, not per call.
            const nt = (r.k === 'native' || r.k === 'builtin') && r.nt ? r.nt : undefined;
            const nf = nt ? findNative(nt.statics, lname, n) : undefined;
            if (nf) return (fr) => nf(ip, evalArgs(fr));
            return (fr) => this.callStaticResolved(r, lname, evalArgs(fr), { file, line }, e.name);
        }
        const target = t.ev;
        const safe = e.safe;
        const site: CallSite = { c: null, m: null };
        return (fr) => {
            const recv = target(fr);
            if (recv === null || recv === undefined) {
                if (safe) return SHORT;
                return npe();
            }
            if (recv === SHORT) return SHORT;
            const a = evalArgs(fr);
            if (recv instanceof ApexObject) {
                if (site.c === recv.cls && site.m) return ip.invokeFresh(site.m, recv, a);
                const ms = recv.cls.vtable.get(lname);
                if (ms) {
                    const m = ip.select(ms, a, `${recv.cls.displayName}.${e.name}`);
                    if (ms.length === 1) {
                        site.c = recv.cls;
                        site.m = m;
                    }
                    return ip.invokeFresh(m, recv, a);
                }
            }
            // Natives: cache the function per receiver type at this call site.
            const tn: unknown =
                typeof recv !== 'object'
                    ? typeof recv
                    : recv instanceof NativeObject
                      ? recv.type
                      : (recv as object).constructor;
            if (site.tn === tn && site.f) return site.f(ip, recv, a);
            const f = recv instanceof ApexObject ? undefined : this.nativeMethod(recv, lname, a.length);
            if (f) {
                site.tn = tn;
                site.f = f;
                return f(ip, recv, a);
            }
            return this.callOn(recv, lname, a, null, { file, line }, e.name);
        };
    }

    private staticCall(ms: MethodInfo[], c: ClassInfo, args: Ev[], what: string): Ev {
        const ip = this.ip;
        const n = args.length;
        const cands = ms.filter((m) => m.params.length === n);
        const future = cands.length === 1 && cands[0].annotations.has('future');
        if (cands.length === 1 && !future) {
            const m = cands[0];
            if (n === 0) {
                return () => {
                    if (c.staticState !== 2) ip.initStatics(m.cls);
                    return ip.invokeFresh(m, null, []);
                };
            }
            if (n === 1) {
                const a0 = args[0];
                return (fr) => {
                    const x = a0(fr);
                    if (m.cls.staticState !== 2) ip.initStatics(m.cls);
                    return ip.invokeFresh(m, null, [x]);
                };
            }
        }
        return (fr) => {
            const a = args.map((x) => x(fr));
            const m = ip.select(ms, a, what);
            if (m.cls.staticState !== 2) ip.initStatics(m.cls);
            if (m.annotations.has('future') && !(ip.cur && ip.cur.m === m)) {
                // Calls to @future methods run asynchronously (Apex Developer Guide, "Future Methods").
                ip.hooks.async.enqueueFuture(
                    ip,
                    `${m.cls.displayName}.${m.name}`,
                    () => void ip.invoke(m, null, a),
                    ip.pos()
                );
                return null;
            }
            return ip.invoke(m, null, a);
        };
    }

    /** Static call on a resolved non-user type (native, builtin, enum, SObject type). */
    callStaticResolved(
        r: Resolved,
        lname: string,
        args: unknown[],
        pos: SourcePos,
        display?: string
    ): unknown {
        const ip = this.ip;
        if (r.k === 'class') {
            const ms = r.cls.findStaticMethods(lname);
            if (!ms) throw new NotSupportedError(`${r.cls.displayName}.${display ?? lname}`, pos);
            const m = ip.select(ms, args, `${r.cls.displayName}.${lname}`);
            if (m.cls.staticState !== 2) ip.initStatics(m.cls);
            return ip.invoke(m, null, args);
        }
        if (r.k === 'enum') {
            if (lname === 'values')
                return new ApexList({ name: r.en.name.toLowerCase(), display: r.en.displayName }, [
                    ...r.en.values
                ]);
            if (lname === 'valueof' && args.length === 1) {
                const v = r.en.byName.get(String(args[0]).toLowerCase());
                if (!v || r.en.values.every((x) => x.name !== args[0])) {
                    if (v && v.name === args[0]) return v;
                    // valueOf is case-sensitive on the platform.
                    if (args[0] === null) return npe();
                    return raise(
                        'NoSuchElementException',
                        `No enum constant ${r.en.displayName}.${String(args[0])}`
                    );
                }
                return v;
            }
            throw new NotSupportedError(`${r.en.displayName}.${display ?? lname}`, pos);
        }
        if (r.k === 'sobject') {
            const st = ip.natives.get('$SObjectStatic');
            const f = st ? findNative(st.statics, 'call', 3) : undefined;
            if (!f) throw new NotSupportedError(`${r.name}.${display ?? lname}`, pos);
            return f(ip, [r.name, lname, args]);
        }
        const nt = r.nt;
        const f = nt ? findNative(nt.statics, lname, args.length) : undefined;
        if (f) return f(ip, args);
        throw new NotSupportedError(`${nt ? nt.name : typeToString(r.ref)}.${display ?? lname}`, pos);
    }

    nativeTypeOf(v: unknown): NativeType | undefined {
        const ip = this.ip;
        if (v instanceof NativeObject) return ip.natives.get(v.type);
        if (isSObject(v)) return ip.natives.get('sobject');
        if (v instanceof EnumValue) return ip.natives.get('enum');
        if (v instanceof ApexObject) return ip.natives.get(v.cls.isException ? 'exception' : 'object');
        return ip.natives.get(runtimeTypeName(v));
    }

    /** The native implementation of `recv.lname(...)` with `arity` arguments, if any (SObjects excluded: per-type natives may differ). */
    private nativeMethod(
        recv: unknown,
        lname: string,
        arity: number
    ): ((ctx: Interpreter, self: unknown, args: unknown[]) => unknown) | undefined {
        if (isSObject(recv)) return undefined;
        const nt = this.nativeTypeOf(recv);
        const f = nt ? findNative(nt.methods, lname, arity) : undefined;
        return f as ((ctx: Interpreter, self: unknown, args: unknown[]) => unknown) | undefined;
    }

    /** Dynamic method call on any receiver (natives and user objects). */
    callOn(
        recv: unknown,
        lname: string,
        args: unknown[],
        _site: CallSite | null,
        pos: SourcePos,
        display?: string
    ): unknown {
        const ip = this.ip;
        if (recv === null || recv === undefined) return npe();
        if (recv instanceof ApexObject) {
            const ms = recv.cls.vtable.get(lname);
            if (ms) return ip.invoke(ip.select(ms, args, `${recv.cls.displayName}.${lname}`), recv, args);
        }
        let nt = this.nativeTypeOf(recv);
        let f = nt ? findNative(nt.methods, lname, args.length) : undefined;
        if (!f && recv instanceof NativeObject && nt?.def.supertypes) {
            for (const s of nt.def.supertypes) {
                const st = ip.natives.get(s);
                f = st ? findNative(st.methods, lname, args.length) : undefined;
                if (f) {
                    nt = st;
                    break;
                }
            }
        }
        if (!f) {
            const obj = ip.natives.get('object');
            f = obj ? findNative(obj.methods, lname, args.length) : undefined;
        }
        if (f) return f(ip, recv, args);
        throw new NotSupportedError(`${displayRuntimeType(recv)}.${display ?? lname}`, pos);
    }
}

function raiseNotSupported(feature: string, pos: SourcePos): never {
    throw new NotSupportedError(feature, pos);
}

let objectCls: ClassInfo | null = null;
function objectClass(): ClassInfo {
    if (!objectCls) {
        objectCls = new ClassInfo('object', 'Object', 'class', null, '<system>', null);
        objectCls.supertypes.add('object');
        objectCls.linked = true;
        objectCls.instanceInitLocals = -1;
        objectCls.instanceInit = () => undefined;
    }
    return objectCls;
}

export function displayRuntimeType(v: unknown): string {
    if (v instanceof ApexObject) return v.cls.displayName;
    if (isSObject(v)) return (v as SObjectValue).sobjectType;
    if (v instanceof EnumValue) return v.enumType.displayName;
    if (v instanceof ApexList) return `List<${typeToString(v.elemType)}>`;
    if (v instanceof ApexSet) return `Set<${typeToString(v.elemType)}>`;
    if (v instanceof ApexMap) return `Map<${typeToString(v.keyType)},${typeToString(v.valueType)}>`;
    if (v instanceof NativeObject) return v.type;
    return typeToString({ name: runtimeTypeName(v) });
}

function listGet(list: unknown, index: unknown): unknown {
    if (list === SHORT) return SHORT;
    if (list === null || list === undefined || index === null || index === undefined) return npe();
    if (!(list instanceof ApexList)) {
        if (list instanceof ApexMap)
            return raise('TypeException', 'Map index access is not supported; use get()');
        return raise('TypeException', 'Expression must be a list type');
    }
    const i = typeof index === 'number' ? index : Number(index);
    if (i < 0 || i >= list.items.length) raise('ListException', `List index out of bounds: ${i}`);
    return list.items[i];
}

function listSet(ip: Interpreter, list: unknown, index: unknown, v: unknown): void {
    if (list === null || list === undefined || index === null || index === undefined) npe();
    if (!(list instanceof ApexList)) raise('TypeException', 'Expression must be a list type');
    const l = list as ApexList;
    const i = index as number;
    if (i < 0 || i >= l.items.length) raise('ListException', `List index out of bounds: ${i}`);
    l.items[i] = ip.coerce(v, l.elemType);
}

/** `isSObject` for the hot field-access sites: one property read on non-null objects. */
function isSObjectFast(v: unknown): v is SObjectValue {
    return v !== null && typeof v === 'object' && (v as { __sobject?: unknown }).__sobject === true;
}
