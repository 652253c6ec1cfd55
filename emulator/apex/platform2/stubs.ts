/**
 * The Apex stub API: `Test.createStub(Type parentType, System.StubProvider provider)`.
 *
 * Apex Developer Guide, "Build a Mocking Framework with the Stub API"
 * (https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_testing_stub_api.htm):
 * "You can define the behavior of stub objects, which are created at runtime as anonymous subclasses of
 * Apex classes." Apex Reference, "StubProvider Interface": "When you invoke methods on the stubbed object,
 * StubProvider.handleMethodCall() is called".
 *
 * So a stub is an ordinary instance (`ApexObject`) of a synthetic class `<Parent>__sfdc_ApexStub` (the name
 * the platform gives it in `String.valueOf` and stack traces) whose supertypes are the parent's: `instanceof`,
 * casts, assignment and parameter passing need nothing special. Its vtable holds, for every stubbable
 * method of the parent, a method whose body calls `provider.handleMethodCall(stub, name, returnType,
 * paramTypes, paramNames, args)` and casts the result to the return type (void methods drop it). The
 * ordinary call path is untouched: a call on a stub is a call on an object of another class.
 *
 * What the stub API does not mock ("Apex Stub API Limitations" on the same page) stays as it is: static
 * methods are called on the class, private methods and property accessors keep their real bodies (run on
 * the stub, whose fields were never initialised: no constructor or initialiser runs). The types it cannot
 * create a stub of fail in `Test.createStub`: system types, inner classes, classes implementing
 * Database.Batchable, classes with only private constructors, and types with a stubbable method taking or
 * returning an Iterator. The page gives no exception type or message for these; ours are TypeExceptions
 * naming the rule (the conformance cases mark them `@inferred`).
 */
import type { Interpreter } from '../interp/interpreter.js';
import { ClassInfo, MethodInfo, RET, type St } from '../interp/model.js';
import { ApexError } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import { ApexList, ApexObject, T, TypeToken, typeToString, type TypeRef } from '../runtime/values.js';

/** Key of the provider on a stub's field record (`$` keys are never Apex fields). */
const PROVIDER = '$stubProvider';
const TYPE_TYPE: TypeRef = { name: 'type', display: 'System.Type' };

/** Stub classes by stubbed class (one per parent, built on the first createStub of it). */
const stubClasses = new WeakMap<ClassInfo, ClassInfo>();

export function installStubs(r: NativeRegistry): void {
    r.register({ name: 'StubProvider', isInterface: true });
    r.register({
        name: 'Test',
        statics: { createstub: (ctx, [type, provider]) => createStub(ctx as Interpreter, type, provider) }
    });
}

function createStub(ip: Interpreter, type: unknown, provider: unknown): ApexObject {
    // Apex Reference, "StubProvider Interface": "In your Apex test, you create a stubbed object using the
    // Test.createStub() method." Outside a test: UnexpectedException, as Test.setMock here (message inferred).
    if (!ip.test.running)
        throw new ApexError('UnexpectedException', 'Test.createStub can only be called from a test');
    if (!(type instanceof TypeToken))
        throw new ApexError('NullPointerException', 'Test.createStub needs a Type');
    if (provider === null || provider === undefined)
        throw new ApexError('NullPointerException', 'Test.createStub needs a StubProvider');
    if (!ip.isInstance(provider, { name: 'stubprovider' }))
        throw new ApexError(
            'TypeException',
            'Test.createStub: the provider must implement System.StubProvider'
        );
    const parent = ip.classOf(type.type);
    const display = typeToString(type.type);
    if (!parent || !parent.decl)
        throw cannotStub(display, ip.enumOf(type.type) ? 'it is an enum' : 'it is a system type');
    const cls = stubClasses.get(parent) ?? buildStubClass(ip, parent);
    const obj = new ApexObject(cls, Object.create(null) as Record<string, unknown>);
    obj.f[PROVIDER] = provider;
    return obj;
}

function cannotStub(display: string, why: string): ApexError {
    return new ApexError('TypeException', `Test.createStub: cannot stub ${display}: ${why}`);
}

/** Methods the stub routes to the provider: instance methods that are not private (interface methods are public). */
function isStubbable(m: MethodInfo): boolean {
    if (m.isStatic) return false;
    if (m.cls.kind === 'interface') return true;
    const k = m.keywords;
    return k.has('public') || k.has('global') || k.has('protected');
}

const ITERATOR = new Set(['iterator', 'system.iterator']);

function signature(m: MethodInfo): string {
    return `${m.lname}(${m.params.map(typeToString).join(',')})`.toLowerCase();
}

/** Every instance method of the parent: its vtable, then the methods of interfaces it does not implement. */
function instanceMethods(ip: Interpreter, parent: ClassInfo): MethodInfo[] {
    const seen = new Set<string>();
    const out: MethodInfo[] = [];
    const add = (m: MethodInfo): void => {
        const s = signature(m);
        if (seen.has(s)) return;
        seen.add(s);
        out.push(m);
    };
    for (const ms of parent.vtable.values()) ms.forEach(add);
    for (const s of parent.supertypes) {
        const c = ip.classOf({ name: s });
        if (c && c.kind === 'interface') for (const ms of c.methods.values()) ms.forEach(add);
    }
    return out;
}

function buildStubClass(ip: Interpreter, parent: ClassInfo): ClassInfo {
    const display = parent.displayName;
    if (parent.outer) throw cannotStub(display, 'inner classes cannot be stubbed');
    if (parent.isSubtypeOf('database.batchable'))
        throw cannotStub(display, 'classes that implement Database.Batchable cannot be stubbed');
    if (
        parent.kind === 'class' &&
        parent.ctors.length > 0 &&
        parent.ctors.every((c) => !['public', 'global', 'protected'].some((k) => c.keywords.has(k)))
    )
        throw cannotStub(display, 'classes that have only private constructors cannot be stubbed');

    const name = `${parent.name}__sfdc_apexstub`;
    const cls = new ClassInfo(name, `${display}__sfdc_ApexStub`, 'class', null, parent.file, null);
    for (const s of parent.supertypes) cls.supertypes.add(s);
    cls.supertypes.add(name);
    if (parent.kind === 'class') cls.superclass = parent;
    cls.hasAccessors = parent.hasAccessors;
    cls.linked = true;
    cls.staticState = 2;
    cls.instanceInitLocals = -1;
    cls.instanceInit = () => undefined;

    for (const m of instanceMethods(ip, parent)) {
        const routed = isStubbable(m);
        if (routed && [m.returnType, ...m.params].some((t) => ITERATOR.has(t.name)))
            throw cannotStub(display, `${m.name} takes or returns an Iterator`);
        const entry = routed ? stubMethod(ip, cls, m) : m;
        const list = cls.vtable.get(m.lname) ?? [];
        list.push(entry);
        cls.vtable.set(m.lname, list);
    }
    stubClasses.set(parent, cls);
    return cls;
}

/** A method of the stub class that hands the call to the provider. */
function stubMethod(ip: Interpreter, cls: ClassInfo, m: MethodInfo): MethodInfo {
    const s = new MethodInfo(
        m.name,
        cls,
        null,
        false,
        m.params,
        m.paramNames,
        m.returnType,
        m.line,
        m.annotations,
        m.keywords
    );
    const n = m.params.length;
    const isVoid = m.returnType.name === 'void';
    const returnType = new TypeToken(m.returnType);
    const body: St = (fr) => {
        const self = fr.t!;
        // Fresh lists per call: the provider may keep or change them.
        const paramTypes = new ApexList(
            TYPE_TYPE,
            m.params.map((p) => new TypeToken(p))
        );
        const paramNames = new ApexList(T.string, [...m.paramNames]);
        const args = new ApexList(T.object, fr.l.slice(0, n));
        const result = ip.invokeMethod(self.f[PROVIDER], 'handleMethodCall', [
            self,
            m.name,
            returnType,
            paramTypes,
            paramNames,
            args
        ]);
        fr.r = isVoid ? null : ip.compiler.cast(result, m.returnType);
        return RET;
    };
    s.body = body;
    s.nLocals = n;
    s.paramConv = m.params.map((p) => ip.compiler.coercer(p));
    s.where = `Class.${cls.displayName}.${m.name}`;
    return s;
}
