/** Integer, Long, Double, Decimal, Boolean, Id, Math and Blob (basic) natives. */
import { npe, raise } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import * as ops from '../runtime/ops.js';
import { ApexDouble, ApexId, Blob, Decimal, EnumValue, formatDouble } from '../runtime/values.js';
import { hashCodeOf } from './system.js';
import { int, str } from './util.js';

function parseIntStrict(text: string): number {
    const t = text.trim();
    if (!/^[+-]?\d+$/.test(t)) return raise('TypeException', `Invalid integer: ${text}`);
    const n = Number(t);
    if (n > 2147483647 || n < -2147483648) return raise('TypeException', `Invalid integer: ${text}`);
    return n;
}

function parseLongStrict(text: string): bigint {
    const t = text.trim();
    if (!/^[+-]?\d+$/.test(t)) return raise('TypeException', `Invalid long: ${text}`);
    const n = BigInt(t);
    if (n !== BigInt.asIntN(64, n)) return raise('TypeException', `Invalid long: ${text}`);
    return n;
}

function parseDecimal(text: string): Decimal {
    try {
        return Decimal.parse(text);
    } catch {
        return raise('TypeException', `Invalid decimal: ${text}`);
    }
}

function dec(v: unknown): Decimal {
    if (v instanceof Decimal) return v;
    return ops.toDecimal(v);
}

/** Formats a number with en_US grouping (Integer.format(), Decimal.format()). */
function groupDigits(intPart: string): string {
    return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function installNumbers(r: NativeRegistry): void {
    r.register({
        name: 'Integer',
        statics: {
            valueof: (_c, [v]) => {
                if (v === null) return null;
                if (typeof v === 'string') return parseIntStrict(v);
                if (typeof v === 'number') return v;
                return int(v);
            }
        },
        methods: {
            format: (_c, self) => (self as number).toLocaleString('en-US'),
            tostring: (_c, self) => String(self),
            hashcode: (_c, self) => self,
            equals: (_c, self, [o]) => ops.equals(self, o),
            intvalue: (_c, self) => self,
            longvalue: (_c, self) => BigInt(self as number),
            doublevalue: (_c, self) => new ApexDouble(self as number),
            decimalvalue: (_c, self) => Decimal.fromInt(self as number)
        }
    });
    r.register({
        name: 'Long',
        statics: {
            valueof: (_c, [v]) => {
                if (v === null) return null;
                if (typeof v === 'string') return parseLongStrict(v);
                return ops.toLong(v);
            }
        },
        methods: {
            format: (_c, self) => groupDigits((self as bigint).toString()),
            intvalue: (_c, self) => Number(BigInt.asIntN(32, self as bigint)),
            longvalue: (_c, self) => self,
            doublevalue: (_c, self) => new ApexDouble(Number(self)),
            tostring: (_c, self) => String(self),
            hashcode: (_c, self) => hashCodeOf(self),
            equals: (_c, self, [o]) => ops.equals(self, o)
        }
    });
    r.register({
        name: 'Double',
        statics: {
            valueof: (_c, [v]) => {
                if (v === null) return null;
                if (typeof v === 'string') {
                    const n = Number(v.trim());
                    if (v.trim() === '' || Number.isNaN(n))
                        return raise('TypeException', `Invalid double: ${v}`);
                    return new ApexDouble(n);
                }
                return new ApexDouble(ops.toNum(v));
            }
        },
        methods: {
            intvalue: (_c, self) => Math.trunc((self as ApexDouble).v) | 0,
            longvalue: (_c, self) => BigInt(Math.trunc((self as ApexDouble).v)),
            doublevalue: (_c, self) => self,
            round: (_c, self) => BigInt(Math.round((self as ApexDouble).v)),
            format: (_c, self) =>
                (self as ApexDouble).v.toLocaleString('en-US', { maximumFractionDigits: 3 }),
            tostring: (_c, self) => formatDouble((self as ApexDouble).v),
            equals: (_c, self, [o]) => ops.equals(self, o),
            hashcode: (_c, self) => hashCodeOf(self)
        }
    });
    r.register({
        name: 'Decimal',
        statics: {
            valueof: (_c, [v]) => {
                if (v === null) return null;
                if (typeof v === 'string') return parseDecimal(v);
                if (v instanceof ApexDouble) return Decimal.fromNumber(v.v);
                return dec(v);
            }
        },
        methods: {
            'setscale/1': (_c, self, [n]) => ops.decSetScale(dec(self), int(n), 'HALF_UP'),
            'setscale/2': (_c, self, [n, mode]) =>
                ops.decSetScale(dec(self), int(n), mode instanceof EnumValue ? mode.name : str(mode)),
            scale: (_c, self) => dec(self).scale,
            precision: (_c, self) => dec(self).precision(),
            abs: (_c, self) =>
                dec(self).signum() < 0 ? new Decimal(-dec(self).unscaled, dec(self).scale) : self,
            'divide/2': (_c, self, [d, scale]) => divideScaled(dec(self), dec(d), int(scale), 'HALF_UP'),
            'divide/3': (_c, self, [d, scale, mode]) =>
                divideScaled(
                    dec(self),
                    dec(d),
                    int(scale),
                    mode instanceof EnumValue ? mode.name : str(mode)
                ),
            intvalue: (_c, self) => Number(BigInt.asIntN(32, ops.toLong(self))),
            longvalue: (_c, self) => ops.toLong(self),
            doublevalue: (_c, self) => new ApexDouble(dec(self).toNumber()),
            'round/0': (_c, self) => ops.toLong(ops.decSetScale(dec(self), 0, 'HALF_EVEN')),
            'round/1': (_c, self, [mode]) =>
                ops.toLong(ops.decSetScale(dec(self), 0, mode instanceof EnumValue ? mode.name : str(mode))),
            stripTrailingZeros: (_c, self) => {
                let d = dec(self);
                if (d.unscaled === 0n) return new Decimal(0n, 0);
                while (d.unscaled % 10n === 0n) d = new Decimal(d.unscaled / 10n, d.scale - 1);
                return d;
            },
            toplainstring: (_c, self) => dec(self).toPlainString(),
            tostring: (_c, self) => dec(self).toPlainString(),
            format: (_c, self) => {
                const d = dec(self);
                const [i, f] = d.toPlainString().replace('-', '').split('.');
                const neg = d.signum() < 0 ? '-' : '';
                const frac = f ? f.slice(0, 3).replace(/0+$/, '') : '';
                return `${neg}${groupDigits(i)}${frac ? `.${frac}` : ''}`;
            },
            pow: (_c, self, [n]) => {
                let result = new Decimal(1n, 0);
                for (let i = 0; i < int(n); i++) result = ops.arith(result, self, '*') as Decimal;
                return result;
            },
            equals: (_c, self, [o]) => ops.equals(self, o),
            hashcode: (_c, self) => hashCodeOf(self)
        }
    });
    r.register({
        name: 'Boolean',
        statics: {
            valueof: (_c, [v]) => {
                if (v === null) return null;
                if (typeof v === 'boolean') return v;
                return str(v).toLowerCase() === 'true';
            }
        },
        methods: {
            tostring: (_c, self) => String(self),
            equals: (_c, self, [o]) => self === o,
            hashcode: (_c, self) => hashCodeOf(self)
        }
    });
    r.register({
        name: 'Id',
        statics: {
            valueof: (_c, [v]) => {
                if (v === null) return null;
                const id = ApexId.tryParse(str(v));
                return id ?? raise('StringException', `Invalid id: ${str(v)}`);
            }
        },
        methods: {
            to15: (_c, self) => (self as ApexId).to15(),
            tostring: (_c, self) => (self as ApexId).v,
            equals: (_c, self, [o]) => ops.equals(self, o),
            hashcode: (_c, self) => hashCodeOf((self as ApexId).v)
        }
    });

    const num = (v: unknown): number => ops.toNum(v);
    const same = (proto: unknown, v: number): unknown => {
        if (typeof proto === 'number') return v | 0;
        if (typeof proto === 'bigint') return BigInt(Math.trunc(v));
        if (proto instanceof Decimal) return Decimal.fromNumber(v);
        return new ApexDouble(v);
    };
    r.register({
        name: 'Math',
        statics: {
            abs: (_c, [v]) => {
                if (v === null) return npe();
                if (typeof v === 'number') return Math.abs(v) | 0;
                if (typeof v === 'bigint') return v < 0n ? -v : v;
                if (v instanceof Decimal) return v.signum() < 0 ? new Decimal(-v.unscaled, v.scale) : v;
                return new ApexDouble(Math.abs(num(v)));
            },
            max: (_c, [a, b]) => (ops.order(a, b) >= 0 ? a : b),
            min: (_c, [a, b]) => (ops.order(a, b) <= 0 ? a : b),
            mod: (_c, [a, b]) => {
                if (typeof a === 'number' && typeof b === 'number') {
                    if (b === 0) raise('MathException', 'Divide by 0');
                    return a % b | 0;
                }
                const x = ops.toLong(a);
                const y = ops.toLong(b);
                if (y === 0n) raise('MathException', 'Divide by 0');
                return x % y;
            },
            pow: (_c, [a, b]) => new ApexDouble(Math.pow(num(a), num(b))),
            sqrt: (_c, [a]) => same(a instanceof Decimal ? a : new ApexDouble(0), Math.sqrt(num(a))),
            ceil: (_c, [a]) => same(a, Math.ceil(num(a))),
            floor: (_c, [a]) => same(a, Math.floor(num(a))),
            round: (_c, [a]) =>
                a instanceof Decimal
                    ? Number(ops.toLong(ops.decSetScale(a, 0, 'HALF_EVEN')))
                    : Math.round(num(a)) | 0,
            roundtolong: (_c, [a]) =>
                a instanceof Decimal
                    ? ops.toLong(ops.decSetScale(a, 0, 'HALF_EVEN'))
                    : BigInt(Math.round(num(a))),
            random: () => new ApexDouble(Math.random()),
            signum: (_c, [a]) => same(a, Math.sign(num(a))),
            exp: (_c, [a]) => new ApexDouble(Math.exp(num(a))),
            log: (_c, [a]) => new ApexDouble(Math.log(num(a))),
            log10: (_c, [a]) => new ApexDouble(Math.log10(num(a))),
            sin: (_c, [a]) => new ApexDouble(Math.sin(num(a))),
            cos: (_c, [a]) => new ApexDouble(Math.cos(num(a))),
            tan: (_c, [a]) => new ApexDouble(Math.tan(num(a))),
            cbrt: (_c, [a]) => new ApexDouble(Math.cbrt(num(a)))
        },
        staticFields: {
            pi: () => new ApexDouble(Math.PI),
            e: () => new ApexDouble(Math.E)
        }
    });
    r.register({
        name: 'Blob',
        statics: {
            valueof: (_c, [v]) => (v === null ? npe() : Blob.fromString(str(v)))
        },
        methods: {
            tostring: (_c, self) => (self as Blob).toUtf8(),
            size: (_c, self) => (self as Blob).bytes.length
        }
    });
}

function divideScaled(a: Decimal, b: Decimal, scale: number, mode: string): Decimal {
    if (b.unscaled === 0n) return raise('MathException', 'Divide by 0');
    // Exact enough: compute with scale + 3 guard digits, then round.
    const guard = scale + 3;
    const num = a.unscaled * 10n ** BigInt(Math.max(0, guard + b.scale - a.scale));
    const den = b.unscaled * 10n ** BigInt(Math.max(0, a.scale - guard - b.scale));
    const q = new Decimal(num / den, guard);
    const exact = num % den === 0n;
    // A non-zero remainder below the guard digits must still round away in UP/CEILING modes.
    const adjusted = exact
        ? q
        : new Decimal(q.unscaled * 10n + (num < 0n !== den < 0n ? -1n : 1n), guard + 1);
    return ops.decSetScale(adjusted, scale, mode);
}
