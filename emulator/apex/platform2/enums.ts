/**
 * Platform enum values: the core resolves platform enums (System.StatusCode, Schema.DisplayType ...) from
 * the vendored type table, so natives return the core's EnumValue instances (`==` and `switch on` compare
 * them by identity); a local value is used only when the core has no such enum.
 */
import type { ApexContext } from '../runtime/context.js';
import { EnumValue, type EnumLike } from '../runtime/values.js';

interface EnumInfoLike {
    byName: Map<string, EnumValue>;
}

const local = new Map<string, EnumLike & { byName: Map<string, EnumValue> }>();

export function enumValue(ctx: ApexContext, typeName: string, value: string): EnumValue {
    const ref = ctx.resolveTypeName(typeName);
    const enumOf = (ctx as unknown as { enumOf?: (t: unknown) => EnumInfoLike | null }).enumOf;
    const info = ref && enumOf ? enumOf.call(ctx, ref) : null;
    const hit = info?.byName.get(value.toLowerCase());
    if (hit) return hit;
    let e = local.get(typeName.toLowerCase());
    if (!e) {
        e = { name: typeName.toLowerCase(), displayName: typeName, values: [], byName: new Map() };
        local.set(typeName.toLowerCase(), e);
    }
    let v = e.byName.get(value.toLowerCase());
    if (!v) {
        v = new EnumValue(e, value, e.values.length);
        (e.values as EnumValue[]).push(v);
        e.byName.set(value.toLowerCase(), v);
    }
    return v;
}
