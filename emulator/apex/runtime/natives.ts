/**
 * Registration API for platform classes implemented in TypeScript ("natives").
 *
 * A native type is registered once by name (case-insensitive, namespace optional: 'Database.SaveResult'
 * is found as `Database.SaveResult` and, when unambiguous, `SaveResult`). Methods are keyed by
 * lower-case name, optionally suffixed with '/<arity>' for overloads with different parameter counts;
 * lookup tries 'name/arity' first, then 'name'. Each function receives the interpreter context,
 * the receiver (instance methods) and the already-evaluated arguments.
 *
 * Instances of native types are usually `NativeObject`s (values.ts) whose `type` is the registered
 * lower-case name; built-in value types (String, List, Map, Date...) are dispatched by the runtime
 * type name of the receiver (see values.runtimeTypeName).
 */
import type { ApexContext } from './context.js';

export type NativeStatic = (ctx: ApexContext, args: unknown[]) => unknown;
export type NativeInstance = (ctx: ApexContext, self: unknown, args: unknown[]) => unknown;

export interface NativeTypeDef {
    /** Type name as documented, with namespace when it has one: 'String', 'Database.SaveResult'. */
    name: string;
    /** Static methods: `Type.method(...)`. */
    statics?: Record<string, NativeStatic>;
    /** Instance methods: `value.method(...)`. */
    methods?: Record<string, NativeInstance>;
    /** Static properties / constants: `Type.FIELD` (getter called on each read). */
    staticFields?: Record<string, (ctx: ApexContext) => unknown>;
    /** Writable static properties: `Type.FIELD = v`. */
    staticSetters?: Record<string, (ctx: ApexContext, value: unknown) => void>;
    /** Instance properties: `value.prop` (getters), and optional setters. */
    getters?: Record<string, (ctx: ApexContext, self: unknown) => unknown>;
    setters?: Record<string, (ctx: ApexContext, self: unknown, value: unknown) => void>;
    /** Static property not listed in staticFields (e.g. `Schema.SObjectType.<Object>`). */
    staticFieldFallback?: (ctx: ApexContext, name: string) => unknown;
    /** Instance property not listed in getters (e.g. `describe.fields.<Field>`). */
    getterFallback?: (ctx: ApexContext, self: unknown, name: string) => unknown;
    /** Constructors `new Type(...)`, keyed by arity as a string ('0', '1'...) or '*' for any. */
    constructors?: Record<string, NativeStatic>;
    /** Supertypes (lower-case names) for instanceof / catch, e.g. exceptions: ['exception']. */
    supertypes?: string[];
    /** Interface: user classes may implement it (e.g. 'Queueable', 'HttpCalloutMock'). */
    isInterface?: boolean;
}

/** A registered type with lower-cased keys (built once at registration). */
export interface NativeType {
    readonly name: string;
    readonly lowerName: string;
    readonly def: NativeTypeDef;
    readonly statics: Map<string, NativeStatic>;
    readonly methods: Map<string, NativeInstance>;
    readonly staticFields: Map<string, (ctx: ApexContext) => unknown>;
    readonly staticSetters: Map<string, (ctx: ApexContext, value: unknown) => void>;
    readonly getters: Map<string, (ctx: ApexContext, self: unknown) => unknown>;
    readonly setters: Map<string, (ctx: ApexContext, self: unknown, value: unknown) => void>;
    readonly constructors: Map<string, NativeStatic>;
}

function lowerMap<V>(rec: Record<string, V> | undefined): Map<string, V> {
    const m = new Map<string, V>();
    if (rec) for (const [k, v] of Object.entries(rec)) m.set(k.toLowerCase(), v);
    return m;
}

export class NativeRegistry {
    private readonly byName = new Map<string, NativeType>();
    private readonly byShortName = new Map<string, NativeType[]>();

    /** Registers (or extends, when the name is already registered) a native type. */
    register(def: NativeTypeDef): NativeType {
        const lowerName = def.name.toLowerCase();
        const existing = this.byName.get(lowerName);
        if (existing) {
            for (const [k, v] of lowerMap(def.statics)) existing.statics.set(k, v);
            for (const [k, v] of lowerMap(def.methods)) existing.methods.set(k, v);
            for (const [k, v] of lowerMap(def.staticFields)) existing.staticFields.set(k, v);
            for (const [k, v] of lowerMap(def.staticSetters)) existing.staticSetters.set(k, v);
            for (const [k, v] of lowerMap(def.getters)) existing.getters.set(k, v);
            for (const [k, v] of lowerMap(def.setters)) existing.setters.set(k, v);
            for (const [k, v] of lowerMap(def.constructors)) existing.constructors.set(k, v);
            if (def.supertypes)
                existing.def.supertypes = [...(existing.def.supertypes ?? []), ...def.supertypes];
            existing.def.getterFallback ??= def.getterFallback;
            existing.def.staticFieldFallback ??= def.staticFieldFallback;
            return existing;
        }
        const t: NativeType = {
            name: def.name,
            lowerName,
            def,
            statics: lowerMap(def.statics),
            methods: lowerMap(def.methods),
            staticFields: lowerMap(def.staticFields),
            staticSetters: lowerMap(def.staticSetters),
            getters: lowerMap(def.getters),
            setters: lowerMap(def.setters),
            constructors: lowerMap(def.constructors)
        };
        this.byName.set(lowerName, t);
        const dot = lowerName.lastIndexOf('.');
        if (dot >= 0) {
            const short = lowerName.slice(dot + 1);
            const list = this.byShortName.get(short) ?? [];
            list.push(t);
            this.byShortName.set(short, list);
        }
        return t;
    }

    /** Finds a type by full name ('database.saveresult'), 'system.'-prefixed name, or unambiguous short name. */
    get(name: string): NativeType | undefined {
        const lower = name.toLowerCase();
        const direct = this.byName.get(lower);
        if (direct) return direct;
        if (lower.startsWith('system.')) return this.byName.get(lower.slice(7));
        return undefined;
    }

    /** All registered types (for diagnostics). */
    all(): IterableIterator<NativeType> {
        return this.byName.values();
    }
}

/** Finds a native method by name and arity ('name/arity' first, then 'name'). */
export function findNative<F>(map: Map<string, F>, name: string, arity: number): F | undefined {
    return map.get(`${name}/${arity}`) ?? map.get(name);
}

/**
 * Library installers: each module of platform classes exports `install(registry)`; the runtime
 * calls every installer registered here when it starts. Part 2 adds its installers with
 * `addLibrary` from emulator/apex/platform2/index.ts (imported by emulator/apex/index.ts).
 */
const installers: ((registry: NativeRegistry) => void)[] = [];
export function addLibrary(install: (registry: NativeRegistry) => void): void {
    installers.push(install);
}
export function installLibraries(registry: NativeRegistry): void {
    for (const i of installers) i(registry);
}
