/**
 * The runtime's own Apex syntax tree, produced by ./lower.ts from the apex-parser ANTLR tree.
 * Every node carries the source line; the file is carried by the enclosing CompilationUnit.
 */
import type { ApexParserRuleContext as ParserRuleContext } from '@apexdevtools/apex-parser';

export interface TypeName {
    /** Dotted parts as written, e.g. ['Database', 'SaveResult']. */
    readonly parts: readonly string[];
    readonly args: readonly TypeName[];
    /** Number of `[]` suffixes. */
    readonly arrayDims: number;
    readonly line: number;
}

export interface Annotation {
    /** Lower-case name without '@', e.g. 'istest', 'auraenabled'. */
    readonly name: string;
    /** Lower-case element names -> raw source text of the value. */
    readonly params: ReadonlyMap<string, string>;
}

export interface Modifiers {
    readonly annotations: readonly Annotation[];
    /** Lower-case keywords: 'public', 'static', 'with sharing', 'testmethod', ... */
    readonly keywords: ReadonlySet<string>;
}

export type TypeDecl = ClassDecl | InterfaceDecl | EnumDecl;

export interface ClassDecl {
    readonly kind: 'class';
    readonly name: string;
    readonly line: number;
    readonly mods: Modifiers;
    readonly extends: TypeName | null;
    readonly implements: readonly TypeName[];
    readonly fields: FieldDecl[];
    readonly methods: MethodDecl[];
    readonly ctors: MethodDecl[];
    readonly properties: PropertyDecl[];
    /** Instance initializer blocks and static initializer blocks, in source order with fields. */
    readonly initializers: InitializerDecl[];
    readonly inner: TypeDecl[];
}

export interface InterfaceDecl {
    readonly kind: 'interface';
    readonly name: string;
    readonly line: number;
    readonly mods: Modifiers;
    readonly extends: readonly TypeName[];
    readonly methods: MethodDecl[];
}

export interface EnumDecl {
    readonly kind: 'enum';
    readonly name: string;
    readonly line: number;
    readonly mods: Modifiers;
    readonly values: readonly string[];
}

export interface FieldDecl {
    readonly kind: 'field';
    readonly mods: Modifiers;
    readonly type: TypeName;
    readonly name: string;
    readonly init: Expr | null;
    readonly line: number;
    /** Position among fields and initializer blocks (for initialisation order). */
    readonly order: number;
}

export interface InitializerDecl {
    readonly kind: 'init';
    readonly isStatic: boolean;
    readonly body: Block;
    readonly line: number;
    readonly order: number;
}

export interface PropertyDecl {
    readonly kind: 'property';
    readonly mods: Modifiers;
    readonly type: TypeName;
    readonly name: string;
    readonly line: number;
    readonly order: number;
    /** null body = automatic accessor; undefined accessor = not declared. */
    readonly getter?: { readonly mods: Modifiers; readonly body: Block | null; readonly line: number };
    readonly setter?: { readonly mods: Modifiers; readonly body: Block | null; readonly line: number };
}

export interface Param {
    readonly type: TypeName;
    readonly name: string;
    readonly line: number;
}

export interface MethodDecl {
    readonly kind: 'method' | 'ctor';
    readonly mods: Modifiers;
    /** null for constructors and void methods. */
    readonly returnType: TypeName | null;
    readonly name: string;
    readonly params: readonly Param[];
    /** null for abstract / interface methods. */
    readonly body: Block | null;
    readonly line: number;
    readonly endLine: number;
}

export interface TriggerDecl {
    readonly kind: 'trigger';
    readonly name: string;
    readonly sobject: string;
    /** e.g. 'before insert'. */
    readonly events: readonly string[];
    readonly body: Block;
    /** Members declared inside the trigger body (rare). */
    readonly line: number;
}

export interface CompilationUnit {
    readonly file: string;
    readonly decl: TypeDecl | TriggerDecl | AnonymousDecl;
}

export interface AnonymousDecl {
    readonly kind: 'anonymous';
    readonly body: Block;
    /** Methods, classes, fields declared in the anonymous block. */
    readonly members: ClassDecl;
}

// ---------------------------------------------------------------------------------------------
// Statements

export type Stmt =
    | Block
    | {
          readonly kind: 'local';
          readonly line: number;
          readonly type: TypeName;
          readonly decls: readonly { name: string; init: Expr | null }[];
      }
    | { readonly kind: 'expr'; readonly line: number; readonly expr: Expr }
    | {
          readonly kind: 'if';
          readonly line: number;
          readonly cond: Expr;
          readonly then: Stmt;
          readonly else: Stmt | null;
      }
    | { readonly kind: 'while'; readonly line: number; readonly cond: Expr; readonly body: Stmt }
    | { readonly kind: 'do'; readonly line: number; readonly cond: Expr; readonly body: Stmt }
    | {
          readonly kind: 'for';
          readonly line: number;
          readonly init: Stmt | null;
          readonly initExprs: readonly Expr[];
          readonly cond: Expr | null;
          readonly update: readonly Expr[];
          readonly body: Stmt;
      }
    | {
          readonly kind: 'foreach';
          readonly line: number;
          readonly type: TypeName;
          readonly name: string;
          readonly iter: Expr;
          readonly body: Stmt;
      }
    | { readonly kind: 'return'; readonly line: number; readonly value: Expr | null }
    | { readonly kind: 'throw'; readonly line: number; readonly value: Expr }
    | { readonly kind: 'break'; readonly line: number }
    | { readonly kind: 'continue'; readonly line: number }
    | {
          readonly kind: 'try';
          readonly line: number;
          readonly body: Block;
          readonly catches: readonly { type: TypeName; name: string; body: Block; line: number }[];
          readonly finally: Block | null;
      }
    | {
          readonly kind: 'switch';
          readonly line: number;
          readonly subject: Expr;
          readonly whens: readonly WhenClause[];
      }
    | {
          readonly kind: 'dml';
          readonly line: number;
          readonly op: 'insert' | 'update' | 'upsert' | 'delete' | 'undelete' | 'merge';
          readonly target: Expr;
          readonly extra: Expr | null;
          readonly externalIdField: string | null;
          readonly accessLevel: 'user' | 'system' | null;
      }
    | { readonly kind: 'runas'; readonly line: number; readonly args: readonly Expr[]; readonly body: Block };

export interface Block {
    readonly kind: 'block';
    readonly line: number;
    readonly stmts: readonly Stmt[];
    readonly endLine: number;
}

export interface WhenClause {
    readonly line: number;
    /** 'else' | literal values | type pattern. */
    readonly match:
        | { readonly kind: 'else' }
        | { readonly kind: 'values'; readonly values: readonly WhenLiteral[] }
        | { readonly kind: 'type'; readonly type: TypeName; readonly name: string };
    readonly body: Block;
}

export type WhenLiteral =
    | { readonly kind: 'int'; readonly value: number }
    | { readonly kind: 'long'; readonly value: bigint }
    | { readonly kind: 'string'; readonly value: string }
    | { readonly kind: 'null' }
    /** An enum constant name (possibly qualified). */
    | { readonly kind: 'name'; readonly parts: readonly string[] };

// ---------------------------------------------------------------------------------------------
// Expressions

export type Expr =
    | {
          readonly kind: 'literal';
          readonly line: number;
          readonly type: 'integer' | 'long' | 'decimal' | 'double' | 'string' | 'boolean' | 'null';
          readonly value: unknown;
      }
    | { readonly kind: 'name'; readonly line: number; readonly name: string }
    | { readonly kind: 'this'; readonly line: number }
    | { readonly kind: 'super'; readonly line: number }
    | {
          readonly kind: 'field';
          readonly line: number;
          readonly target: Expr;
          readonly name: string;
          readonly safe: boolean;
      }
    | {
          readonly kind: 'call';
          readonly line: number;
          readonly target: Expr | null;
          readonly name: string;
          readonly args: readonly Expr[];
          readonly safe: boolean;
      }
    /** `this(...)` / `super(...)` constructor chaining. */
    | {
          readonly kind: 'ctorcall';
          readonly line: number;
          readonly which: 'this' | 'super';
          readonly args: readonly Expr[];
      }
    | { readonly kind: 'index'; readonly line: number; readonly target: Expr; readonly index: Expr }
    | {
          readonly kind: 'new';
          readonly line: number;
          readonly type: TypeName;
          readonly args: readonly Expr[];
          readonly named: readonly { name: string; value: Expr }[] | null;
      }
    | {
          readonly kind: 'newarray';
          readonly line: number;
          readonly type: TypeName;
          readonly size: Expr | null;
          readonly init: readonly Expr[] | null;
      }
    | {
          readonly kind: 'newcoll';
          readonly line: number;
          readonly type: TypeName;
          readonly items: readonly Expr[];
          readonly pairs: readonly [Expr, Expr][] | null;
      }
    | { readonly kind: 'cast'; readonly line: number; readonly type: TypeName; readonly expr: Expr }
    | {
          readonly kind: 'unary';
          readonly line: number;
          readonly op: '-' | '+' | '!' | '~';
          readonly expr: Expr;
      }
    | {
          readonly kind: 'incdec';
          readonly line: number;
          readonly op: '++' | '--';
          readonly prefix: boolean;
          readonly target: Expr;
      }
    | {
          readonly kind: 'binary';
          readonly line: number;
          readonly op: string;
          readonly left: Expr;
          readonly right: Expr;
      }
    | { readonly kind: 'instanceof'; readonly line: number; readonly expr: Expr; readonly type: TypeName }
    | {
          readonly kind: 'cond';
          readonly line: number;
          readonly cond: Expr;
          readonly then: Expr;
          readonly else: Expr;
      }
    | {
          readonly kind: 'assign';
          readonly line: number;
          readonly op: string;
          readonly target: Expr;
          readonly value: Expr;
      }
    | { readonly kind: 'typeref'; readonly line: number; readonly type: TypeName }
    | SoqlNode
    | SoslNode;

/** Inline `[SELECT ...]`: raw text, the ANTLR subtree for the data side, and the lowered bind expressions. */
export interface SoqlNode {
    readonly kind: 'soql';
    readonly line: number;
    /** Query text as written between the brackets. */
    readonly text: string;
    /** apex-parser QueryContext (emulator/apex/data/ walks it; see front/soql.ts). */
    readonly tree: ParserRuleContext;
    /** Bind expressions in source order; `bindIndex` maps each BoundExpressionContext to its index. */
    readonly binds: readonly Expr[];
    readonly bindIndex: ReadonlyMap<ParserRuleContext, number>;
}

export interface SoslNode {
    readonly kind: 'sosl';
    readonly line: number;
    readonly text: string;
    readonly tree: ParserRuleContext;
    readonly binds: readonly Expr[];
    readonly bindIndex: ReadonlyMap<ParserRuleContext, number>;
}
