/**
 * Lowers apex-parser ANTLR trees to the runtime's syntax tree (./ast.ts).
 * Constructs the runtime does not model fail here with "not supported locally: ... at file:line".
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- ANTLR contexts are walked generically */
import * as P from '@apexdevtools/apex-parser';
import type { ApexParserRuleContext as ParserRuleContext } from '@apexdevtools/apex-parser';
import type * as A from './ast.js';
import { parseAnonymous, parseClass, parseTrigger } from './parse.js';

type Ctx = any;

export class LoweringError extends Error {
    constructor(
        readonly file: string,
        readonly line: number,
        message: string
    ) {
        super(`${message} at ${file}:${line}`);
        this.name = 'LoweringError';
    }
}

export function lowerClassFile(file: string, source: string): A.CompilationUnit {
    const tree = parseClass(file, source);
    const l = new Lowerer(file);
    return { file, decl: l.typeDeclaration(tree.typeDeclaration()) };
}

export function lowerTriggerFile(file: string, source: string): A.CompilationUnit {
    const tree = parseTrigger(file, source);
    const l = new Lowerer(file);
    return { file, decl: l.trigger(tree) };
}

export function lowerAnonymous(file: string, source: string): A.CompilationUnit {
    const tree = parseAnonymous(file, source);
    const l = new Lowerer(file);
    return { file, decl: l.anonymous(tree) };
}

/** Lowers a single Apex expression given as text (used for dynamic SOQL binds and tests). */
export function lowerExpressionText(file: string, text: string): A.Expr {
    const unit = lowerAnonymous(file, `Object __e = ${text};`);
    const decl = unit.decl as A.AnonymousDecl;
    const st = decl.body.stmts[0];
    if (st.kind !== 'local' || !st.decls[0].init) throw new LoweringError(file, 1, 'not an expression');
    return st.decls[0].init;
}

function lineOf(ctx: Ctx): number {
    return ctx?.start?.line ?? 0;
}

function unescapeApexString(raw: string, file: string, line: number): string {
    // raw includes the surrounding quotes.
    const body = raw.slice(1, -1);
    let out = '';
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c !== '\\') {
            out += c;
            continue;
        }
        const n = body[++i];
        switch (n) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'u':
                out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
                i += 4;
                break;
            case "'":
            case '"':
            case '\\':
                out += n;
                break;
            default:
                throw new LoweringError(file, line, `Invalid string escape \\${n}`);
        }
    }
    return out;
}

class Lowerer {
    private order = 0;
    constructor(private readonly file: string) {}

    private fail(ctx: Ctx, feature: string): never {
        throw new LoweringError(this.file, lineOf(ctx), `not supported locally: ${feature}`);
    }

    // ---------------------------------------------------------------- declarations

    modifiers(list: Ctx[]): A.Modifiers {
        const annotations: A.Annotation[] = [];
        const keywords = new Set<string>();
        for (const m of list ?? []) {
            const ann = m.annotation();
            if (ann) {
                const name = ann.qualifiedName ? ann.qualifiedName().getText() : ann.id().getText();
                const params = new Map<string, string>();
                const pairs = ann.elementValuePairs();
                if (pairs) {
                    for (const p of pairs.elementValuePair_list())
                        params.set(p.id().getText().toLowerCase(), p.elementValue().getText());
                } else if (ann.elementValue()) {
                    params.set('value', ann.elementValue().getText());
                }
                annotations.push({ name: name.toLowerCase(), params });
            } else {
                // 'with sharing' is two tokens; keep them space separated.
                keywords.add(
                    m.children
                        .map((c: Ctx) => c.getText())
                        .join(' ')
                        .toLowerCase()
                );
            }
        }
        return { annotations, keywords };
    }

    typeDeclaration(td: Ctx): A.TypeDecl {
        const mods = this.modifiers(td.modifier_list());
        if (td.classDeclaration()) return this.classDecl(td.classDeclaration(), mods);
        if (td.interfaceDeclaration()) return this.interfaceDecl(td.interfaceDeclaration(), mods);
        return this.enumDecl(td.enumDeclaration(), mods);
    }

    enumDecl(ctx: Ctx, mods: A.Modifiers): A.EnumDecl {
        const consts = ctx.enumConstants();
        return {
            kind: 'enum',
            name: ctx.id().getText(),
            line: lineOf(ctx),
            mods,
            values: consts ? consts.id_list().map((i: Ctx) => i.getText()) : []
        };
    }

    interfaceDecl(ctx: Ctx, mods: A.Modifiers): A.InterfaceDecl {
        const methods: A.MethodDecl[] = [];
        for (const m of ctx.interfaceBody().interfaceMethodDeclaration_list()) {
            methods.push({
                kind: 'method',
                mods: this.modifiers(m.modifier_list()),
                returnType: m.typeRef() ? this.typeRef(m.typeRef()) : null,
                name: m.id().getText(),
                params: this.params(m.formalParameters()),
                body: null,
                line: lineOf(m),
                endLine: lineOf(m)
            });
        }
        return {
            kind: 'interface',
            name: ctx.id().getText(),
            line: lineOf(ctx),
            mods,
            extends: ctx.typeList()
                ? ctx
                      .typeList()
                      .typeRef_list()
                      .map((t: Ctx) => this.typeRef(t))
                : [],
            methods
        };
    }

    private emptyClass(name: string, line: number, mods: A.Modifiers): A.ClassDecl {
        return {
            kind: 'class',
            name,
            line,
            mods,
            extends: null,
            implements: [],
            fields: [],
            methods: [],
            ctors: [],
            properties: [],
            initializers: [],
            inner: []
        };
    }

    classDecl(ctx: Ctx, mods: A.Modifiers): A.ClassDecl {
        const decl = this.emptyClass(ctx.id().getText(), lineOf(ctx), mods);
        const full: A.ClassDecl = {
            ...decl,
            extends: ctx.typeRef() ? this.typeRef(ctx.typeRef()) : null,
            implements: ctx.typeList()
                ? ctx
                      .typeList()
                      .typeRef_list()
                      .map((t: Ctx) => this.typeRef(t))
                : []
        };
        for (const b of ctx.classBody().classBodyDeclaration_list()) {
            if (b.SEMI() && !b.memberDeclaration()) continue;
            if (b.block()) {
                full.initializers.push({
                    kind: 'init',
                    isStatic: !!b.STATIC(),
                    body: this.block(b.block()),
                    line: lineOf(b),
                    order: this.order++
                });
                continue;
            }
            this.member(full, this.modifiers(b.modifier_list()), b.memberDeclaration());
        }
        return full;
    }

    member(cls: A.ClassDecl, mods: A.Modifiers, md: Ctx): void {
        if (md.methodDeclaration()) {
            cls.methods.push(this.method(md.methodDeclaration(), mods));
        } else if (md.constructorDeclaration && md.constructorDeclaration()) {
            const c = md.constructorDeclaration();
            const body = this.block(c.block());
            cls.ctors.push({
                kind: 'ctor',
                mods,
                returnType: null,
                name: c.qualifiedName().getText(),
                params: this.params(c.formalParameters()),
                body,
                line: lineOf(c),
                endLine: body.endLine
            });
        } else if (md.fieldDeclaration()) {
            const f = md.fieldDeclaration();
            const type = this.typeRef(f.typeRef());
            for (const v of f.variableDeclarators().variableDeclarator_list()) {
                cls.fields.push({
                    kind: 'field',
                    mods,
                    type,
                    name: v.id().getText(),
                    init: v.expression() ? this.expr(v.expression()) : null,
                    line: lineOf(v),
                    order: this.order++
                });
            }
        } else if (md.propertyDeclaration()) {
            cls.properties.push(this.property(md.propertyDeclaration(), mods));
        } else if (md.classDeclaration()) {
            cls.inner.push(this.classDecl(md.classDeclaration(), mods));
        } else if (md.interfaceDeclaration()) {
            cls.inner.push(this.interfaceDecl(md.interfaceDeclaration(), mods));
        } else if (md.enumDeclaration()) {
            cls.inner.push(this.enumDecl(md.enumDeclaration(), mods));
        } else {
            this.fail(md, 'member declaration');
        }
    }

    property(p: Ctx, mods: A.Modifiers): A.PropertyDecl {
        let getter: A.PropertyDecl['getter'];
        let setter: A.PropertyDecl['setter'];
        for (const pb of p.propertyBlock_list()) {
            const pm = this.modifiers(pb.modifier_list());
            if (pb.getter()) {
                const g = pb.getter();
                getter = { mods: pm, body: g.block() ? this.block(g.block()) : null, line: lineOf(g) };
            } else {
                const s = pb.setter();
                setter = { mods: pm, body: s.block() ? this.block(s.block()) : null, line: lineOf(s) };
            }
        }
        return {
            kind: 'property',
            mods,
            type: this.typeRef(p.typeRef()),
            name: p.id().getText(),
            line: lineOf(p),
            order: this.order++,
            getter,
            setter
        };
    }

    method(m: Ctx, mods: A.Modifiers): A.MethodDecl {
        const body = m.block() ? this.block(m.block()) : null;
        return {
            kind: 'method',
            mods,
            returnType: m.typeRef() ? this.typeRef(m.typeRef()) : null,
            name: m.id().getText(),
            params: this.params(m.formalParameters()),
            body,
            line: lineOf(m),
            endLine: body ? body.endLine : lineOf(m)
        };
    }

    params(fp: Ctx): A.Param[] {
        const list = fp.formalParameterList();
        if (!list) return [];
        return list.formalParameter_list().map((p: Ctx) => ({
            type: this.typeRef(p.typeRef()),
            name: p.id().getText(),
            line: lineOf(p)
        }));
    }

    trigger(t: Ctx): A.TriggerDecl {
        const ids = t.id_list();
        const events = t.triggerCase_list().map((c: Ctx) =>
            c.children
                .map((x: Ctx) => x.getText())
                .join(' ')
                .toLowerCase()
        );
        const tb = t.triggerBlock ? t.triggerBlock() : null;
        let body: A.Block;
        if (tb) {
            const stmts: A.Stmt[] = [];
            for (const m of tb.triggerBlockMember_list()) {
                if (m.statement()) {
                    stmts.push(this.stmt(m.statement()));
                    continue;
                }
                // The grammar reads `Integer n = 0;` in a trigger body as a field declaration; in a trigger
                // it is a local variable of the trigger's single code block ("A trigger is Apex code that
                // executes before or after..." — the body is one block, like anonymous Apex). Other members
                // (methods, properties, inner types, static or access-modified fields) stay unsupported.
                const md = m.triggerMemberDeclaration();
                const mods = this.modifiers(m.modifier_list());
                const onlyFinal =
                    [...mods.keywords].every((k) => k === 'final') && mods.annotations.length === 0;
                if (md?.fieldDeclaration() && onlyFinal)
                    stmts.push(this.localFromField(md.fieldDeclaration()));
                else this.fail(m, 'member declarations inside a trigger');
            }
            body = { kind: 'block', line: lineOf(tb), stmts, endLine: tb.stop?.line ?? lineOf(tb) };
        } else {
            body = this.block(t.block());
        }
        return {
            kind: 'trigger',
            name: ids[0].getText(),
            sobject: ids[1].getText(),
            events,
            body,
            line: lineOf(t)
        };
    }

    /** A top-level `Type name = value;` of anonymous Apex or a trigger body, as a local declaration. */
    localFromField(f: Ctx): A.Stmt {
        return {
            kind: 'local',
            line: lineOf(f),
            type: this.typeRef(f.typeRef()),
            decls: f
                .variableDeclarators()
                .variableDeclarator_list()
                .map((v: Ctx) => ({
                    name: v.id().getText(),
                    init: v.expression() ? this.expr(v.expression()) : null
                }))
        };
    }

    anonymous(u: Ctx): A.AnonymousDecl {
        const members = this.emptyClass('AnonymousBlock', 1, { annotations: [], keywords: new Set() });
        const stmts: A.Stmt[] = [];
        for (const m of u.anonymousBlock().anonymousBlockMember_list()) {
            if (m.statement()) {
                stmts.push(this.stmt(m.statement()));
                continue;
            }
            const mods = this.modifiers(m.modifier_list());
            const md = m.anonymousMemberDeclaration();
            if (md.fieldDeclaration()) {
                // A field-looking declaration at the top level is a local variable.
                stmts.push(this.localFromField(md.fieldDeclaration()));
            } else {
                this.member(members, mods, md);
            }
        }
        const body: A.Block = { kind: 'block', line: 1, stmts, endLine: u.stop?.line ?? 1 };
        return { kind: 'anonymous', body, members };
    }

    // ---------------------------------------------------------------- types

    typeRef(ctx: Ctx): A.TypeName {
        const names = ctx.typeName_list();
        const parts: string[] = [];
        let args: A.TypeName[] = [];
        for (const n of names) {
            parts.push(n.LIST() ? 'List' : n.SET() ? 'Set' : n.MAP() ? 'Map' : n.id().getText());
            const ta = n.typeArguments();
            if (ta)
                args = ta
                    .typeList()
                    .typeRef_list()
                    .map((t: Ctx) => this.typeRef(t));
        }
        const dims = ctx.arraySubscripts() ? ctx.arraySubscripts().LBRACK_list().length : 0;
        return { parts, args, arrayDims: dims, line: lineOf(ctx) };
    }

    // ---------------------------------------------------------------- statements

    block(ctx: Ctx): A.Block {
        return {
            kind: 'block',
            line: lineOf(ctx),
            stmts: ctx.statement_list().map((s: Ctx) => this.stmt(s)),
            endLine: ctx.stop?.line ?? lineOf(ctx)
        };
    }

    localDecl(ld: Ctx): A.Stmt {
        return {
            kind: 'local',
            line: lineOf(ld),
            type: this.typeRef(ld.typeRef()),
            decls: ld
                .variableDeclarators()
                .variableDeclarator_list()
                .map((v: Ctx) => ({
                    name: v.id().getText(),
                    init: v.expression() ? this.expr(v.expression()) : null
                }))
        };
    }

    private emptyStmt(line: number): A.Block {
        return { kind: 'block', line, stmts: [], endLine: line };
    }

    stmt(s: Ctx): A.Stmt {
        const c = s.getChild(0);
        const line = lineOf(s);
        if (c instanceof P.BlockContext) return this.block(c);
        if (c instanceof P.LocalVariableDeclarationStatementContext)
            return this.localDecl(c.localVariableDeclaration());
        if (c instanceof P.ExpressionStatementContext)
            return { kind: 'expr', line, expr: this.expr(c.expression()) };
        if (c instanceof P.IfStatementContext) {
            const sts = c.statement_list();
            return {
                kind: 'if',
                line,
                cond: this.expr(c.parExpression().expression()),
                then: this.stmt(sts[0]),
                else: sts.length > 1 ? this.stmt(sts[1]) : null
            };
        }
        if (c instanceof P.ReturnStatementContext)
            return { kind: 'return', line, value: c.expression() ? this.expr(c.expression()) : null };
        if (c instanceof P.ThrowStatementContext)
            return { kind: 'throw', line, value: this.expr(c.expression()) };
        if (c instanceof P.BreakStatementContext) return { kind: 'break', line };
        if (c instanceof P.ContinueStatementContext) return { kind: 'continue', line };
        if (c instanceof P.WhileStatementContext) {
            const w = c as Ctx;
            return {
                kind: 'while',
                line,
                cond: this.expr(w.parExpression().expression()),
                body: w.statement() ? this.stmt(w.statement()) : this.emptyStmt(line)
            };
        }
        if (c instanceof P.DoWhileStatementContext) {
            const d = c as Ctx;
            return {
                kind: 'do',
                line,
                cond: this.expr(d.parExpression().expression()),
                body: this.block(d.block())
            };
        }
        if (c instanceof P.ForStatementContext) return this.forStmt(c as Ctx, line);
        if (c instanceof P.TryStatementContext) {
            const t = c as Ctx;
            return {
                kind: 'try',
                line,
                body: this.block(t.block()),
                catches: t.catchClause_list().map((cc: Ctx) => ({
                    type: {
                        parts: cc.qualifiedName().getText().split('.'),
                        args: [],
                        arrayDims: 0,
                        line: lineOf(cc)
                    },
                    name: cc.id().getText(),
                    body: this.block(cc.block()),
                    line: lineOf(cc)
                })),
                finally: t.finallyBlock() ? this.block(t.finallyBlock().block()) : null
            };
        }
        if (c instanceof P.SwitchStatementContext) return this.switchStmt(c as Ctx, line);
        if (c instanceof P.InsertStatementContext) return this.dml('insert', c, line);
        if (c instanceof P.UpdateStatementContext) return this.dml('update', c, line);
        if (c instanceof P.DeleteStatementContext) return this.dml('delete', c, line);
        if (c instanceof P.UndeleteStatementContext) return this.dml('undelete', c, line);
        if (c instanceof P.UpsertStatementContext) return this.dml('upsert', c, line);
        if (c instanceof P.MergeStatementContext) return this.dml('merge', c, line);
        if (c instanceof P.RunAsStatementContext) {
            const r = c as Ctx;
            return {
                kind: 'runas',
                line,
                args: r.expressionList()
                    ? r
                          .expressionList()
                          .expression_list()
                          .map((e: Ctx) => this.expr(e))
                    : [],
                body: this.block(r.block())
            };
        }
        return this.fail(s, `statement ${s.getText().slice(0, 30)}`);
    }

    dml(op: 'insert' | 'update' | 'upsert' | 'delete' | 'undelete' | 'merge', c: Ctx, line: number): A.Stmt {
        const exprs: Ctx[] = c.expression_list ? c.expression_list() : [c.expression()];
        const al = c.accessLevel ? c.accessLevel() : null;
        return {
            kind: 'dml',
            line,
            op,
            target: this.expr(exprs[0]),
            extra: exprs.length > 1 ? this.expr(exprs[1]) : null,
            externalIdField: op === 'upsert' && c.qualifiedName() ? c.qualifiedName().getText() : null,
            accessLevel: al ? (al.USER() ? 'user' : 'system') : null
        };
    }

    forStmt(f: Ctx, line: number): A.Stmt {
        const fc = f.forControl();
        const body = f.statement() ? this.stmt(f.statement()) : this.emptyStmt(line);
        const en = fc.enhancedForControl();
        if (en) {
            return {
                kind: 'foreach',
                line,
                type: this.typeRef(en.typeRef()),
                name: en.id().getText(),
                iter: this.expr(en.expression()),
                body
            };
        }
        const fi = fc.forInit();
        let init: A.Stmt | null = null;
        let initExprs: A.Expr[] = [];
        if (fi) {
            if (fi.localVariableDeclaration()) init = this.localDecl(fi.localVariableDeclaration());
            else
                initExprs = fi
                    .expressionList()
                    .expression_list()
                    .map((e: Ctx) => this.expr(e));
        }
        return {
            kind: 'for',
            line,
            init,
            initExprs,
            cond: fc.expression() ? this.expr(fc.expression()) : null,
            update: fc.forUpdate()
                ? fc
                      .forUpdate()
                      .expressionList()
                      .expression_list()
                      .map((e: Ctx) => this.expr(e))
                : [],
            body
        };
    }

    switchStmt(s: Ctx, line: number): A.Stmt {
        const whens: A.WhenClause[] = [];
        for (const w of s.whenControl_list()) {
            const wv = w.whenValue();
            let match: A.WhenClause['match'];
            if (wv.ELSE()) match = { kind: 'else' };
            else if (wv.typeRef())
                match = { kind: 'type', type: this.typeRef(wv.typeRef()), name: wv.id().getText() };
            else
                match = {
                    kind: 'values',
                    values: wv.whenLiteral_list().map((l: Ctx) => this.whenLiteral(l))
                };
            whens.push({ line: lineOf(w), match, body: this.block(w.block()) });
        }
        return { kind: 'switch', line, subject: this.expr(s.expression()), whens };
    }

    whenLiteral(l: Ctx): A.WhenLiteral {
        if (l.whenLiteral()) return this.whenLiteral(l.whenLiteral());
        const neg = (l.SUB_list?.() ?? []).length % 2 === 1;
        if (l.IntegerLiteral()) {
            const v = Number(l.IntegerLiteral().getText());
            return { kind: 'int', value: neg ? -v | 0 : v | 0 };
        }
        if (l.LongLiteral()) {
            const v = BigInt(l.LongLiteral().getText().slice(0, -1));
            return { kind: 'long', value: neg ? -v : v };
        }
        if (l.StringLiteral())
            return {
                kind: 'string',
                value: unescapeApexString(l.StringLiteral().getText(), this.file, lineOf(l))
            };
        if (l.NULL()) return { kind: 'null' };
        return { kind: 'name', parts: l.qualifiedName().getText().split('.') };
    }

    // ---------------------------------------------------------------- expressions

    exprList(el: Ctx): A.Expr[] {
        return el ? el.expression_list().map((e: Ctx) => this.expr(e)) : [];
    }

    expr(e: Ctx): A.Expr {
        const line = lineOf(e);
        if (e instanceof P.PrimaryExpressionContext) return this.primary(e.primary());
        if (e instanceof P.DotExpressionContext) {
            const d = e as Ctx;
            const target = this.expr(d.expression());
            const safe = !!d.QUESTIONDOT();
            if (d.dotMethodCall()) {
                const m = d.dotMethodCall();
                return {
                    kind: 'call',
                    line,
                    target,
                    name: m.anyId().getText(),
                    args: this.exprList(m.expressionList()),
                    safe
                };
            }
            return { kind: 'field', line, target, name: d.anyId().getText(), safe };
        }
        if (e instanceof P.ArrayExpressionContext) {
            const [a, i] = (e as Ctx).expression_list();
            return { kind: 'index', line, target: this.expr(a), index: this.expr(i) };
        }
        if (e instanceof P.MethodCallExpressionContext) {
            const m = (e as Ctx).methodCall();
            const args = this.exprList(m.expressionList());
            if (m.THIS()) return { kind: 'ctorcall', line, which: 'this', args };
            if (m.SUPER()) return { kind: 'ctorcall', line, which: 'super', args };
            return { kind: 'call', line, target: null, name: m.id().getText(), args, safe: false };
        }
        if (e instanceof P.NewExpressionContext) return this.creator((e as Ctx).creator(), line);
        if (e instanceof P.CastExpressionContext) {
            const c = e as Ctx;
            return { kind: 'cast', line, type: this.typeRef(c.typeRef()), expr: this.expr(c.expression()) };
        }
        if (e instanceof P.SubExpressionContext) return this.expr((e as Ctx).expression());
        if (e instanceof P.PostOpExpressionContext) {
            const p = e as Ctx;
            return {
                kind: 'incdec',
                line,
                op: p.INC() ? '++' : '--',
                prefix: false,
                target: this.expr(p.expression())
            };
        }
        if (e instanceof P.PreOpExpressionContext) {
            const p = e as Ctx;
            const inner = this.expr(p.expression());
            if (p.INC()) return { kind: 'incdec', line, op: '++', prefix: true, target: inner };
            if (p.DEC()) return { kind: 'incdec', line, op: '--', prefix: true, target: inner };
            if (p.SUB()) {
                // Fold negative numeric literals so that -2147483648 is a valid Integer.
                if (inner.kind === 'literal' && inner.type === 'integer' && typeof inner.value === 'number') {
                    return { kind: 'literal', line, type: 'integer', value: -inner.value | 0 };
                }
                if (inner.kind === 'literal' && inner.type === 'long') {
                    return {
                        kind: 'literal',
                        line,
                        type: 'long',
                        value: BigInt.asIntN(64, -(inner.value as bigint))
                    };
                }
                return { kind: 'unary', line, op: '-', expr: inner };
            }
            return { kind: 'unary', line, op: '+', expr: inner };
        }
        if (e instanceof P.NegExpressionContext) {
            const n = e as Ctx;
            return { kind: 'unary', line, op: n.BANG() ? '!' : '~', expr: this.expr(n.expression()) };
        }
        if (e instanceof P.InstanceOfExpressionContext) {
            const i = e as Ctx;
            return {
                kind: 'instanceof',
                line,
                expr: this.expr(i.expression()),
                type: this.typeRef(i.typeRef())
            };
        }
        if (e instanceof P.CondExpressionContext) {
            const [c, a, b] = (e as Ctx).expression_list();
            return { kind: 'cond', line, cond: this.expr(c), then: this.expr(a), else: this.expr(b) };
        }
        if (e instanceof P.AssignExpressionContext) {
            const a = e as Ctx;
            const [t, v] = a.expression_list();
            const op = a.getChild(1).getText();
            return { kind: 'assign', line, op, target: this.expr(t), value: this.expr(v) };
        }
        if (
            e instanceof P.Arth1ExpressionContext ||
            e instanceof P.Arth2ExpressionContext ||
            e instanceof P.BitExpressionContext ||
            e instanceof P.CmpExpressionContext ||
            e instanceof P.EqualityExpressionContext ||
            e instanceof P.BitAndExpressionContext ||
            e instanceof P.BitNotExpressionContext ||
            e instanceof P.BitOrExpressionContext ||
            e instanceof P.LogAndExpressionContext ||
            e instanceof P.LogOrExpressionContext ||
            e instanceof P.CoalExpressionContext
        ) {
            const b = e as Ctx;
            const [l, r] = b.expression_list();
            // Operator = every terminal between the two operands (e.g. '>' '>' '>' or '<' '=').
            let op = '';
            for (let i = 1; i < b.getChildCount() - 1; i++) op += b.getChild(i).getText();
            return { kind: 'binary', line, op, left: this.expr(l), right: this.expr(r) };
        }
        return this.fail(e, `expression ${e.getText().slice(0, 40)}`);
    }

    primary(p: Ctx): A.Expr {
        const line = lineOf(p);
        if (p instanceof P.ThisPrimaryContext) return { kind: 'this', line };
        if (p instanceof P.SuperPrimaryContext) return { kind: 'super', line };
        if (p instanceof P.IdPrimaryContext) return { kind: 'name', line, name: (p as Ctx).id().getText() };
        if (p instanceof P.LiteralPrimaryContext) return this.literal((p as Ctx).literal());
        if (p instanceof P.TypeRefPrimaryContext)
            return { kind: 'typeref', line, type: this.typeRef((p as Ctx).typeRef()) };
        if (p instanceof P.VoidPrimaryContext)
            return { kind: 'typeref', line, type: { parts: ['void'], args: [], arrayDims: 0, line } };
        if (p instanceof P.SoqlPrimaryContext) return this.soql((p as Ctx).soqlLiteral(), line);
        if (p instanceof P.SoslPrimaryContext) return this.sosl((p as Ctx).soslLiteral(), line);
        return this.fail(p, `primary ${p.getText().slice(0, 30)}`);
    }

    literal(l: Ctx): A.Expr {
        const line = lineOf(l);
        if (l.IntegerLiteral()) {
            const text = l.IntegerLiteral().getText();
            const v = Number(text);
            // 2147483648 is only legal when negated; the negation folding handles the wrap.
            if (v > 2147483648) throw new LoweringError(this.file, line, `Illegal integer: ${text}`);
            return { kind: 'literal', line, type: 'integer', value: v === 2147483648 ? -2147483648 : v };
        }
        if (l.LongLiteral()) {
            return {
                kind: 'literal',
                line,
                type: 'long',
                value: BigInt.asIntN(64, BigInt(l.LongLiteral().getText().slice(0, -1)))
            };
        }
        if (l.NumberLiteral()) {
            const text: string = l.NumberLiteral().getText();
            if (/[dD]$/.test(text))
                return { kind: 'literal', line, type: 'double', value: Number(text.slice(0, -1)) };
            return { kind: 'literal', line, type: 'decimal', value: text };
        }
        if (l.StringLiteral())
            return {
                kind: 'literal',
                line,
                type: 'string',
                value: unescapeApexString(l.StringLiteral().getText(), this.file, line)
            };
        if (l.MultilineStringLiteral && l.MultilineStringLiteral())
            return this.fail(l, 'multiline string literal');
        if (l.BooleanLiteral())
            return {
                kind: 'literal',
                line,
                type: 'boolean',
                value: l.BooleanLiteral().getText().toLowerCase() === 'true'
            };
        return { kind: 'literal', line, type: 'null', value: null };
    }

    creator(c: Ctx, line: number): A.Expr {
        const pairs = c.createdName().idCreatedNamePair_list();
        const parts: string[] = [];
        let args: A.TypeName[] = [];
        for (const p of pairs) {
            parts.push(p.anyId().getText());
            if (p.typeList())
                args = p
                    .typeList()
                    .typeRef_list()
                    .map((t: Ctx) => this.typeRef(t));
        }
        const type: A.TypeName = { parts, args, arrayDims: 0, line };
        if (c.noRest()) return { kind: 'newcoll', line, type, items: [], pairs: null };
        if (c.classCreatorRest()) {
            const el = c.classCreatorRest().arguments().expressionList();
            const exprs: Ctx[] = el ? el.expression_list() : [];
            // SObject constructor with name = value pairs: new Account(Name = 'x').
            if (
                exprs.length > 0 &&
                exprs.every(
                    (x) =>
                        x instanceof P.AssignExpressionContext &&
                        (x as Ctx).expression(0) instanceof P.PrimaryExpressionContext
                )
            ) {
                const named = exprs.map((x: Ctx) => ({
                    name: x.expression(0).getText(),
                    value: this.expr(x.expression(1))
                }));
                return { kind: 'new', line, type, args: [], named };
            }
            return { kind: 'new', line, type, args: exprs.map((x) => this.expr(x)), named: null };
        }
        if (c.arrayCreatorRest()) {
            const a = c.arrayCreatorRest();
            const arrType: A.TypeName = { parts, args, arrayDims: 1, line };
            if (a.expression())
                return { kind: 'newarray', line, type: arrType, size: this.expr(a.expression()), init: null };
            const init = a.arrayInitializer();
            return {
                kind: 'newarray',
                line,
                type: arrType,
                size: null,
                init: init ? init.expression_list().map((x: Ctx) => this.expr(x)) : []
            };
        }
        if (c.mapCreatorRest()) {
            const pr: [A.Expr, A.Expr][] = c
                .mapCreatorRest()
                .mapCreatorRestPair_list()
                .map(
                    (p: Ctx) => [this.expr(p.expression(0)), this.expr(p.expression(1))] as [A.Expr, A.Expr]
                );
            return { kind: 'newcoll', line, type, items: [], pairs: pr };
        }
        if (c.setCreatorRest()) {
            return {
                kind: 'newcoll',
                line,
                type,
                items: c
                    .setCreatorRest()
                    .expression_list()
                    .map((x: Ctx) => this.expr(x)),
                pairs: null
            };
        }
        return this.fail(c, 'creator');
    }

    /** Collects bound expressions `:expr` in a SOQL/SOSL subtree, in source order. */
    private collectBinds(tree: ParserRuleContext): {
        binds: A.Expr[];
        bindIndex: Map<ParserRuleContext, number>;
    } {
        const binds: A.Expr[] = [];
        const bindIndex = new Map<ParserRuleContext, number>();
        const visit = (n: Ctx): void => {
            if (n instanceof P.BoundExpressionContext) {
                bindIndex.set(n, binds.length);
                binds.push(this.expr((n as Ctx).expression()));
                return;
            }
            const count = n.getChildCount ? n.getChildCount() : 0;
            for (let i = 0; i < count; i++) visit(n.getChild(i));
        };
        visit(tree);
        return { binds, bindIndex };
    }

    soql(lit: Ctx, line: number): A.SoqlNode {
        const q = lit.query();
        const { binds, bindIndex } = this.collectBinds(q);
        return { kind: 'soql', line, text: sourceText(q), tree: q, binds, bindIndex };
    }

    sosl(lit: Ctx, line: number): A.SoslNode {
        const { binds, bindIndex } = this.collectBinds(lit);
        return { kind: 'sosl', line, text: sourceText(lit), tree: lit, binds, bindIndex };
    }
}

/** Original source text of a context (with whitespace, unlike getText()). */
export function sourceText(ctx: Ctx): string {
    const start = ctx.start;
    const stop = ctx.stop;
    const input = start.getInputStream ? start.getInputStream() : start.source?.[1];
    if (input && typeof input.getText === 'function') return input.getText(start.start, stop.stop);
    return ctx.getText();
}
