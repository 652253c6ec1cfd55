/**
 * Date, Datetime and Time natives. Local (user time zone) conversions use the ICU time zone
 * data built into Node; the interpreter's clock is fixed, so `System.now()` is deterministic.
 */
import type { ApexContext } from '../runtime/context.js';
import { npe, raise } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import { ApexDate, ApexDatetime, ApexTime, NativeObject, pad } from '../runtime/values.js';
import * as ops from '../runtime/ops.js';
import { int, str } from './util.js';

export interface LocalParts {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
    ms: number;
    /** 0 = Sunday. */
    weekday: number;
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
    let f = fmtCache.get(tz);
    if (!f) {
        f = new Intl.DateTimeFormat('en-US', {
            timeZone: tz,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
            weekday: 'short'
        });
        fmtCache.set(tz, f);
    }
    return f;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Wall-clock parts of an instant in a time zone. */
export function localParts(ms: number, tz: string): LocalParts {
    const parts = formatter(tz).formatToParts(new Date(ms));
    const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '0';
    return {
        year: Number(get('year')),
        month: Number(get('month')),
        day: Number(get('day')),
        hour: Number(get('hour')),
        minute: Number(get('minute')),
        second: Number(get('second')),
        ms: ((ms % 1000) + 1000) % 1000,
        weekday: WEEKDAYS.indexOf(get('weekday'))
    };
}

/** Offset of a zone from GMT at an instant, in ms. */
export function zoneOffset(ms: number, tz: string): number {
    const p = localParts(ms, tz);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.ms);
    return asUtc - ms;
}

/** Instant for a wall-clock time in a zone. */
export function fromLocal(
    y: number,
    mo: number,
    d: number,
    h: number,
    mi: number,
    s: number,
    ms: number,
    tz: string
): number {
    const guess = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    let t = guess - zoneOffset(guess, tz);
    t = guess - zoneOffset(t, tz);
    return t;
}

const MONTHS = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December'
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Java SimpleDateFormat subset: y M d H h m s S E a z Z X and 'quoted' text. */
export function formatPattern(ms: number, pattern: string, tz: string): string {
    const p = localParts(ms, tz);
    const off = zoneOffset(ms, tz);
    let out = '';
    let i = 0;
    while (i < pattern.length) {
        const c = pattern[i];
        if (c === "'") {
            const end = pattern.indexOf("'", i + 1);
            if (end === i + 1) {
                out += "'";
                i += 2;
                continue;
            }
            out += pattern.slice(i + 1, end < 0 ? undefined : end);
            i = end < 0 ? pattern.length : end + 1;
            continue;
        }
        if (!/[A-Za-z]/.test(c)) {
            out += c;
            i++;
            continue;
        }
        let n = 1;
        while (pattern[i + n] === c) n++;
        i += n;
        const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
        switch (c) {
            case 'y':
                out += n === 2 ? pad(p.year % 100, 2) : pad(p.year, n);
                break;
            case 'M':
                out +=
                    n >= 4
                        ? MONTHS[p.month - 1]
                        : n === 3
                          ? MONTHS[p.month - 1].slice(0, 3)
                          : pad(p.month, n);
                break;
            case 'd':
                out += pad(p.day, n);
                break;
            case 'H':
                out += pad(p.hour, n);
                break;
            case 'h':
                out += pad(h12, n);
                break;
            case 'm':
                out += pad(p.minute, n);
                break;
            case 's':
                out += pad(p.second, n);
                break;
            case 'S':
                out += pad(p.ms, 3).slice(0, Math.max(n, 3));
                break;
            case 'E':
                out += n >= 4 ? DAYS[p.weekday] : DAYS[p.weekday].slice(0, 3);
                break;
            case 'a':
                out += p.hour < 12 ? 'AM' : 'PM';
                break;
            case 'Z': {
                const m = Math.round(off / 60000);
                out += `${m < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(m) / 60), 2)}${pad(Math.abs(m) % 60, 2)}`;
                break;
            }
            case 'X': {
                const m = Math.round(off / 60000);
                if (m === 0) out += 'Z';
                else
                    out += `${m < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(m) / 60), 2)}${n >= 3 ? ':' : ''}${pad(Math.abs(m) % 60, 2)}`;
                break;
            }
            case 'z':
                out += tz === 'GMT' || tz === 'UTC' ? 'GMT' : shortZoneName(ms, tz);
                break;
            case 'u':
                out += String(p.weekday === 0 ? 7 : p.weekday);
                break;
            case 'D': {
                const doy =
                    Math.floor((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86400000) +
                    1;
                out += pad(doy, n);
                break;
            }
            default:
                out += c.repeat(n);
        }
    }
    return out;
}

function shortZoneName(ms: number, tz: string): string {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' }).formatToParts(
        new Date(ms)
    );
    return parts.find((x) => x.type === 'timeZoneName')?.value ?? tz;
}

/**
 * First day of the week of a Salesforce locale key (`en_US`, `de_DE`...): 0 = Sunday, 1 = Monday. Apex
 * Reference, Date.toStartOfWeek(): "the start of a week is Sunday in the United States locale, and Monday
 * in European locales"; ICU's CLDR week data gives the day for every locale.
 */
export function firstDayOfWeek(locale: string): number {
    const tag = locale.split('_').slice(0, 2).join('-');
    try {
        const l = new Intl.Locale(tag) as Intl.Locale & {
            weekInfo?: { firstDay: number };
            getWeekInfo?: () => { firstDay: number };
        };
        const info = l.getWeekInfo?.() ?? l.weekInfo;
        return info ? info.firstDay % 7 : 0;
    } catch {
        return 0;
    }
}

function daysInMonth(y: number, m: number): number {
    return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function addMonths(d: ApexDate, n: number): ApexDate {
    const total = d.year * 12 + (d.month - 1) + n;
    const y = Math.floor(total / 12);
    const m = (total % 12) + 1;
    return new ApexDate(y, m, Math.min(d.day, daysInMonth(y, m)));
}

function date(v: unknown): ApexDate {
    if (v instanceof ApexDate) return v;
    return npe();
}
function dt(v: unknown): ApexDatetime {
    if (v instanceof ApexDatetime) return v;
    return npe();
}
function tm(v: unknown): ApexTime {
    if (v instanceof ApexTime) return v;
    return npe();
}

function tzOf(ctx: ApexContext): string {
    return ctx.user.timeZone;
}

/** Date.format() / Datetime.format() default patterns for the user's locale (en_US built in). */
function localeDatePattern(locale: string): string {
    switch (locale) {
        case 'en_GB':
        case 'fr_FR':
        case 'es_ES':
        case 'it_IT':
            return 'dd/MM/yyyy';
        case 'de_DE':
            return 'dd.MM.yyyy';
        default:
            return 'M/d/yyyy';
    }
}
function localeTimePattern(locale: string): string {
    return locale === 'en_US' ? 'h:mm a' : 'HH:mm';
}

function parseDateString(s: string): ApexDate {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$/.exec(s.trim());
    if (!m) return raise('TypeException', `Invalid date: ${s}`);
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo))
        return raise('TypeException', `Invalid date: ${s}`);
    return new ApexDate(y, mo, d);
}

/** Parses 'yyyy-MM-dd HH:mm:ss' (and ISO 8601 with zone). Returns [parts, explicit instant]. */
function parseDatetimeString(s: string): { parts: number[]; instant: number | null } {
    const iso =
        /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
            s.trim()
        );
    if (!iso) {
        const dOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
        if (dOnly)
            return {
                parts: [Number(dOnly[1]), Number(dOnly[2]), Number(dOnly[3]), 0, 0, 0, 0],
                instant: null
            };
        return raise('TypeException', `Invalid date/time: ${s}`);
    }
    const parts = [1, 2, 3, 4, 5, 6].map((i) => Number(iso[i] ?? 0));
    parts.push(Number((iso[7] ?? '0').padEnd(3, '0')));
    if (iso[8]) {
        let off = 0;
        if (iso[8] !== 'Z') {
            const sign = iso[8][0] === '-' ? -1 : 1;
            const digits = iso[8].slice(1).replace(':', '');
            off = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
        }
        return {
            parts,
            instant: Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], parts[6]) - off
        };
    }
    return { parts, instant: null };
}

export function datetimeJson(v: ApexDatetime): string {
    return new Date(v.ms).toISOString().replace(/Z$/, 'Z');
}

export { parseDatetimeString, parseDateString };

/** A System.TimeZone value (IANA id). */
export function timeZoneValue(id: string): NativeObject<{ id: string; toString(): string }> {
    return new NativeObject('timezone', { id, toString: () => id });
}

export function installDatetime(r: NativeRegistry): void {
    const zone = (self: unknown): string => (self as NativeObject<{ id: string }>).state.id;
    r.register({
        name: 'TimeZone',
        statics: {
            gettimezone: (_ctx, [id]) => timeZoneValue(str(id))
        },
        methods: {
            getid: (_ctx, self) => zone(self),
            getoffset: (_ctx, self, [d]) => zoneOffset(dt(d).ms, zone(self)),
            // The standard-time name whatever the date: the Apex Reference's TimeZone example prints
            // "Display name: Pacific Standard Time" for America/Los_Angeles. Standard time is the smaller
            // of the offsets on 1 January and 1 July of the current year (either hemisphere).
            getdisplayname: (ctx, self) => {
                const y = new Date(ctx.now()).getUTCFullYear();
                const [jan, jul] = [Date.UTC(y, 0, 1), Date.UTC(y, 6, 1)];
                const standard = zoneOffset(jan, zone(self)) <= zoneOffset(jul, zone(self)) ? jan : jul;
                const parts = new Intl.DateTimeFormat('en-US', {
                    timeZone: zone(self),
                    timeZoneName: 'long'
                }).formatToParts(new Date(standard));
                return parts.find((x) => x.type === 'timeZoneName')?.value ?? zone(self);
            },
            tostring: (_ctx, self) => zone(self)
        }
    });
    r.register({
        name: 'Date',
        statics: {
            newinstance: (_ctx, [y, m, d]) => {
                const yy = int(y);
                const mm = int(m);
                const dd = int(d);
                // Out-of-range parts roll over like java.util.Calendar (lenient).
                const js = new Date(Date.UTC(2000, 0, 1));
                js.setUTCFullYear(yy, mm - 1, dd);
                return new ApexDate(js.getUTCFullYear(), js.getUTCMonth() + 1, js.getUTCDate());
            },
            today: (ctx) => {
                const p = localParts(ctx.now(), tzOf(ctx));
                return new ApexDate(p.year, p.month, p.day);
            },
            valueof: (ctx, [s]) => {
                if (s instanceof ApexDatetime) {
                    const p = localParts(s.ms, tzOf(ctx));
                    return new ApexDate(p.year, p.month, p.day);
                }
                if (s === null) return null;
                return parseDateString(str(s));
            },
            parse: (_ctx, [s]) => {
                const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(str(s).trim());
                if (!m) return raise('TypeException', `Invalid date: ${str(s)}`);
                return new ApexDate(Number(m[3]), Number(m[1]), Number(m[2]));
            },
            daysinmonth: (_ctx, [y, m]) => daysInMonth(int(y), int(m)),
            isleapyear: (_ctx, [y]) => {
                const n = int(y);
                return (n % 4 === 0 && n % 100 !== 0) || n % 400 === 0;
            }
        },
        methods: {
            adddays: (_ctx, self, [n]) => ApexDate.fromEpochDay(date(self).toEpochDay() + int(n)),
            addmonths: (_ctx, self, [n]) => addMonths(date(self), int(n)),
            addyears: (_ctx, self, [n]) => addMonths(date(self), int(n) * 12),
            day: (_ctx, self) => date(self).day,
            month: (_ctx, self) => date(self).month,
            year: (_ctx, self) => date(self).year,
            dayofyear: (_ctx, self) => {
                const d = date(self);
                return d.toEpochDay() - new ApexDate(d.year, 1, 1).toEpochDay() + 1;
            },
            daysbetween: (_ctx, self, [o]) => date(o).toEpochDay() - date(self).toEpochDay(),
            monthsbetween: (_ctx, self, [o]) => {
                const a = date(self);
                const b = date(o);
                return (b.year - a.year) * 12 + (b.month - a.month);
            },
            issameday: (_ctx, self, [o]) => date(o).toEpochDay() === date(self).toEpochDay(),
            tostartofmonth: (_ctx, self) => new ApexDate(date(self).year, date(self).month, 1),
            tostartofweek: (ctx, self) => {
                const d = date(self);
                const wd = (((d.toEpochDay() + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
                const back = (wd - firstDayOfWeek(ctx.user.locale) + 7) % 7;
                return ApexDate.fromEpochDay(d.toEpochDay() - back);
            },
            format: (ctx, self) =>
                formatPattern(
                    Date.UTC(date(self).year, date(self).month - 1, date(self).day),
                    localeDatePattern(ctx.user.locale),
                    'UTC'
                ),
            tostring: (_ctx, self) => date(self).toString(),
            equals: (_ctx, self, [o]) => ops.equals(self, o),
            hashcode: (_ctx, self) => date(self).toEpochDay()
        }
    });

    r.register({
        name: 'Datetime',
        statics: {
            'newinstance/1': (_ctx, [ms]) => new ApexDatetime(Number(ms)),
            'newinstance/2': (ctx, [d, t]) => {
                const dd = date(d);
                const tt = tm(t);
                return new ApexDatetime(fromLocal(dd.year, dd.month, dd.day, 0, 0, 0, tt.ms, tzOf(ctx)));
            },
            'newinstance/3': (ctx, [y, m, d]) =>
                new ApexDatetime(fromLocal(int(y), int(m), int(d), 0, 0, 0, 0, tzOf(ctx))),
            'newinstance/6': (ctx, [y, m, d, h, mi, s]) =>
                new ApexDatetime(fromLocal(int(y), int(m), int(d), int(h), int(mi), int(s), 0, tzOf(ctx))),
            'newinstancegmt/2': (_ctx, [d, t]) => {
                const dd = date(d);
                return new ApexDatetime(Date.UTC(dd.year, dd.month - 1, dd.day) + tm(t).ms);
            },
            'newinstancegmt/3': (_ctx, [y, m, d]) => new ApexDatetime(Date.UTC(int(y), int(m) - 1, int(d))),
            'newinstancegmt/6': (_ctx, [y, m, d, h, mi, s]) =>
                new ApexDatetime(Date.UTC(int(y), int(m) - 1, int(d), int(h), int(mi), int(s))),
            now: (ctx) => new ApexDatetime(ctx.now()),
            valueof: (ctx, [s]) => {
                if (s === null) return null;
                if (typeof s === 'bigint' || typeof s === 'number') return new ApexDatetime(Number(s));
                const p = parseDatetimeString(str(s));
                if (p.instant !== null) return new ApexDatetime(p.instant);
                const [y, mo, d, h, mi, sec, ms] = p.parts;
                return new ApexDatetime(fromLocal(y, mo, d, h, mi, sec, ms, tzOf(ctx)));
            },
            valueofgmt: (_ctx, [s]) => {
                if (s === null) return null;
                const p = parseDatetimeString(str(s));
                if (p.instant !== null) return new ApexDatetime(p.instant);
                const [y, mo, d, h, mi, sec, ms] = p.parts;
                return new ApexDatetime(Date.UTC(y, mo - 1, d, h, mi, sec, ms));
            }
        },
        methods: {
            gettime: (_ctx, self) => BigInt(dt(self).ms),
            adddays: (_ctx, self, [n]) => new ApexDatetime(dt(self).ms + int(n) * 86400000),
            addhours: (_ctx, self, [n]) => new ApexDatetime(dt(self).ms + int(n) * 3600000),
            addminutes: (_ctx, self, [n]) => new ApexDatetime(dt(self).ms + int(n) * 60000),
            addseconds: (_ctx, self, [n]) => new ApexDatetime(dt(self).ms + int(n) * 1000),
            addmonths: (ctx, self, [n]) => {
                const p = localParts(dt(self).ms, tzOf(ctx));
                const d = addMonths(new ApexDate(p.year, p.month, p.day), int(n));
                return new ApexDatetime(
                    fromLocal(d.year, d.month, d.day, p.hour, p.minute, p.second, p.ms, tzOf(ctx))
                );
            },
            addyears: (ctx, self, [n]) => {
                const p = localParts(dt(self).ms, tzOf(ctx));
                const d = addMonths(new ApexDate(p.year, p.month, p.day), int(n) * 12);
                return new ApexDatetime(
                    fromLocal(d.year, d.month, d.day, p.hour, p.minute, p.second, p.ms, tzOf(ctx))
                );
            },
            date: (ctx, self) => {
                const p = localParts(dt(self).ms, tzOf(ctx));
                return new ApexDate(p.year, p.month, p.day);
            },
            dategmt: (_ctx, self) => {
                const p = localParts(dt(self).ms, 'UTC');
                return new ApexDate(p.year, p.month, p.day);
            },
            time: (ctx, self) => {
                const p = localParts(dt(self).ms, tzOf(ctx));
                return new ApexTime(((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + p.ms);
            },
            timegmt: (_ctx, self) => new ApexTime(((dt(self).ms % 86400000) + 86400000) % 86400000),
            year: (ctx, self) => localParts(dt(self).ms, tzOf(ctx)).year,
            month: (ctx, self) => localParts(dt(self).ms, tzOf(ctx)).month,
            day: (ctx, self) => localParts(dt(self).ms, tzOf(ctx)).day,
            hour: (ctx, self) => localParts(dt(self).ms, tzOf(ctx)).hour,
            minute: (ctx, self) => localParts(dt(self).ms, tzOf(ctx)).minute,
            second: (ctx, self) => localParts(dt(self).ms, tzOf(ctx)).second,
            millisecond: (_ctx, self) => ((dt(self).ms % 1000) + 1000) % 1000,
            yeargmt: (_ctx, self) => localParts(dt(self).ms, 'UTC').year,
            monthgmt: (_ctx, self) => localParts(dt(self).ms, 'UTC').month,
            daygmt: (_ctx, self) => localParts(dt(self).ms, 'UTC').day,
            hourgmt: (_ctx, self) => localParts(dt(self).ms, 'UTC').hour,
            minutegmt: (_ctx, self) => localParts(dt(self).ms, 'UTC').minute,
            secondgmt: (_ctx, self) => localParts(dt(self).ms, 'UTC').second,
            millisecondgmt: (_ctx, self) => ((dt(self).ms % 1000) + 1000) % 1000,
            'format/0': (ctx, self) =>
                formatPattern(
                    dt(self).ms,
                    `${localeDatePattern(ctx.user.locale)} ${localeTimePattern(ctx.user.locale)}`,
                    tzOf(ctx)
                ),
            'format/1': (ctx, self, [p]) => formatPattern(dt(self).ms, str(p), tzOf(ctx)),
            'format/2': (_ctx, self, [p, tz]) => formatPattern(dt(self).ms, str(p), str(tz)),
            formatgmt: (_ctx, self, [p]) => formatPattern(dt(self).ms, str(p), 'GMT'),
            formatlong: (ctx, self) =>
                formatPattern(dt(self).ms, `${localeDatePattern(ctx.user.locale)} h:mm:ss a z`, tzOf(ctx)),
            issameday: (ctx, self, [o]) => {
                const a = localParts(dt(self).ms, tzOf(ctx));
                const b = localParts(dt(o).ms, tzOf(ctx));
                return a.year === b.year && a.month === b.month && a.day === b.day;
            },
            tostring: (_ctx, self) => dt(self).toString(),
            equals: (_ctx, self, [o]) => ops.equals(self, o),
            hashcode: (_ctx, self) => dt(self).ms | 0
        }
    });

    r.register({
        name: 'Time',
        statics: {
            newinstance: (_ctx, [h, m, s, ms]) =>
                new ApexTime((((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)) % 86400000)
        },
        methods: {
            hour: (_ctx, self) => Math.floor(tm(self).ms / 3600000),
            minute: (_ctx, self) => Math.floor(tm(self).ms / 60000) % 60,
            second: (_ctx, self) => Math.floor(tm(self).ms / 1000) % 60,
            millisecond: (_ctx, self) => tm(self).ms % 1000,
            addhours: (_ctx, self, [n]) =>
                new ApexTime((((tm(self).ms + int(n) * 3600000) % 86400000) + 86400000) % 86400000),
            addminutes: (_ctx, self, [n]) =>
                new ApexTime((((tm(self).ms + int(n) * 60000) % 86400000) + 86400000) % 86400000),
            addseconds: (_ctx, self, [n]) =>
                new ApexTime((((tm(self).ms + int(n) * 1000) % 86400000) + 86400000) % 86400000),
            addmilliseconds: (_ctx, self, [n]) =>
                new ApexTime((((tm(self).ms + int(n)) % 86400000) + 86400000) % 86400000),
            tostring: (_ctx, self) => tm(self).toString()
        }
    });
}
