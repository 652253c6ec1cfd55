/**
 * Bound program model: classes, interfaces, enums, methods, fields, triggers, frames.
 */
import type * as A from '../front/ast.js';
import type { ClassLike, EnumLike, TypeRef } from '../runtime/values.js';
import { EnumValue } from '../runtime/values.js';

/** A compile-time error in Apex source (unknown variable, no matching method...). */
export class ApexCompileError extends Error {
    constructor(message: string, pos: { file: string; line: number }) {
        super(`${message} at ${pos.file}:${pos.line}`);
        this.name = 'ApexCompileError';
    }
}

/** One activation of an Apex method (also the unit of the Apex stack trace). */
export class Frame {
    /** Local variable slots (parameters first). */
    l: unknown[];
    /** Return value. */
    r: unknown = null;
    line: number;
    constructor(
        readonly m: MethodInfo | null,
        /** `this` (null in static context). */
        public t: import('../runtime/values.js').ApexObject | null,
        public parent: Frame | null,
        size: number,
        readonly where: string,
        readonly file: string,
        locals?: unknown[]
    ) {
        this.l = locals ?? new Array(size);
        this.line = m ? m.line : 0;
    }
}

export type Ev = (fr: Frame) => unknown;
/** Statement closures return 0 (normal), BRK, CONT or RET. */
export type St = (fr: Frame) => number;
export const BRK = 1;
export const CONT = 2;
export const RET = 3;

export interface FieldInfo {
    readonly name: string;
    readonly lname: string;
    readonly type: TypeRef;
    readonly isStatic: boolean;
    readonly decl: A.FieldDecl | A.PropertyDecl;
    readonly cls: ClassInfo;
    /** Property with a getter or setter body (access goes through the accessors). */
    readonly accessor: PropertyAccessors | null;
    readonly annotations: ReadonlySet<string>;
    readonly isPublic: boolean;
    readonly isTransient: boolean;
}

export interface PropertyAccessors {
    get: MethodInfo | null;
    set: MethodInfo | null;
    /** Automatic accessor declared (`get;`), i.e. reads go to the backing field. */
    autoGet: boolean;
    autoSet: boolean;
}

export class MethodInfo {
    /** Compiled body, built on first call. */
    body: St | null = null;
    nLocals = 0;
    /** Constructor prologue (super()/this() + instance initialisers), compiled with the body. */
    prologue: ((fr: Frame) => void) | null = null;
    /** Lower-case property name when this is a property accessor. */
    accessorOf: string | null = null;
    /** Stack-trace label ('Class.Outer.method'), computed once. */
    where = '';
    /** Frames of returned calls, reused by the next call (nothing keeps a frame after its call returns). */
    readonly pool: Frame[] = [];
    /** Locals by lower-case name -> slot (set when compiled). */
    localNames: Map<string, { readonly slot: number; readonly type: TypeRef }> | null = null;
    /** Per-parameter assignment conversions (null entries: no conversion needed). */
    paramConv: (((v: unknown) => unknown) | null)[] | null = null;
    constructor(
        readonly name: string,
        readonly cls: ClassInfo,
        readonly decl: A.MethodDecl | null,
        readonly isStatic: boolean,
        readonly params: TypeRef[],
        readonly paramNames: string[],
        readonly returnType: TypeRef,
        readonly line: number,
        readonly annotations: ReadonlySet<string>,
        readonly keywords: ReadonlySet<string>
    ) {}
    get lname(): string {
        return this.name.toLowerCase();
    }
    get isAbstract(): boolean {
        return this.decl === null || this.decl.body === null;
    }
}

export class ClassInfo implements ClassLike {
    superclass: ClassInfo | null = null;
    /** Lower-case names of every supertype (self, superclasses, interfaces, 'object'). */
    readonly supertypes = new Set<string>();
    readonly interfaces: string[] = [];
    readonly fields = new Map<string, FieldInfo>();
    readonly staticFields = new Map<string, FieldInfo>();
    readonly methods = new Map<string, MethodInfo[]>();
    readonly staticMethods = new Map<string, MethodInfo[]>();
    /** Instance methods including inherited ones (overrides replace), built at link time. */
    readonly vtable = new Map<string, MethodInfo[]>();
    ctors: MethodInfo[] = [];
    readonly inner = new Map<string, ClassInfo | EnumInfo>();
    /** Static storage. */
    statics: Record<string, unknown> = Object.create(null);
    staticState = 0;
    /** Compiled static initialiser (fields + static blocks in source order). */
    staticInit: ((fr: Frame) => void) | null = null;
    staticInitCompiled = false;
    /** Compiled instance initialiser (field initialisers + instance blocks in source order). */
    instanceInit: ((fr: Frame) => void) | null = null;
    instanceInitLocals = 0;
    /** Some instance property has accessor bodies (field reads then check `fields`). */
    hasAccessors = false;
    linked = false;
    isException = false;
    constructor(
        readonly name: string,
        readonly displayName: string,
        readonly kind: 'class' | 'interface',
        readonly decl: A.ClassDecl | A.InterfaceDecl | null,
        readonly file: string,
        readonly outer: ClassInfo | null
    ) {}

    isSubtypeOf(lowerName: string): boolean {
        return this.supertypes.has(lowerName);
    }
    get annotations(): ReadonlySet<string> {
        return new Set((this.decl?.mods.annotations ?? []).map((a) => a.name));
    }
    get isAbstract(): boolean {
        return this.kind === 'interface' || !!this.decl?.mods.keywords.has('abstract');
    }
    get isTest(): boolean {
        return !!this.decl?.mods.annotations.some((a) => a.name === 'istest');
    }
    /** Field lookup through superclasses. */
    findField(lname: string): FieldInfo | undefined {
        return this.fields.get(lname) ?? this.superclass?.findField(lname);
    }
    findStaticField(lname: string): FieldInfo | undefined {
        return this.staticFields.get(lname) ?? this.superclass?.findStaticField(lname);
    }
    findStaticMethods(lname: string): MethodInfo[] | undefined {
        return this.staticMethods.get(lname) ?? this.superclass?.findStaticMethods(lname);
    }
}

export class EnumInfo implements EnumLike {
    readonly values: EnumValue[];
    readonly byName = new Map<string, EnumValue>();
    constructor(
        readonly name: string,
        readonly displayName: string,
        names: readonly string[],
        readonly file: string
    ) {
        this.values = names.map((n, i) => new EnumValue(this, n, i));
        for (const v of this.values) this.byName.set(v.name.toLowerCase(), v);
    }
}

export interface TriggerInfo {
    readonly name: string;
    readonly sobject: string;
    readonly events: ReadonlySet<string>;
    readonly decl: A.TriggerDecl;
    readonly file: string;
    method: MethodInfo;
}

// The value model only knows ClassLike; inside the interpreter every ApexObject's class is a ClassInfo.
declare module '../runtime/values.js' {
    interface ClassLike {
        readonly vtable: Map<string, MethodInfo[]>;
        readonly isException: boolean;
        readonly hasAccessors: boolean;
        readonly decl: A.ClassDecl | A.InterfaceDecl | null;
        readonly fields: Map<string, FieldInfo>;
        findField(lname: string): FieldInfo | undefined;
    }
}
