/**
 * String natives (Apex Reference, "String Class"). Regular expressions follow Java syntax; the
 * subset the runtime accepts is the one JavaScript's RegExp shares with it.
 */
import { npe, raise } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import * as ops from '../runtime/ops.js';
import { ApexDate, ApexDatetime, ApexList, ApexSet, T } from '../runtime/values.js';
import { hashString } from './system.js';
import { formatPattern } from './datetime.js';
import { int, str, strList } from './util.js';

function s(self: unknown): string {
    return self as string;
}

/** Java regex -> JavaScript RegExp (flags: global when needed). */
export function javaRegex(pattern: string, flags = ''): RegExp {
    let p = pattern;
    let f = flags;
    // Inline flags at the start, e.g. (?i).
    const inline = /^\(\?([imsx]+)\)/.exec(p);
    if (inline) {
        p = p.slice(inline[0].length);
        for (const c of inline[1]) if (c !== 'x' && !f.includes(c)) f += c;
    }
    p = p
        .replace(/\\p\{Alpha\}/g, '[A-Za-z]')
        .replace(/\\p\{Punct\}/g, '[!-\\/:-@\\[-`{-~]')
        .replace(/\\Q(.*?)\\E/g, (_m, lit: string) => lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    try {
        return new RegExp(p, f);
    } catch {
        return raise('StringException', `Invalid regex: ${pattern}`);
    }
}

/** Java's String.split(regex, limit). */
export function javaSplit(text: string, regex: string, limit = 0): string[] {
    if (text === '') return [''];
    const re = javaRegex(regex, 'g');
    const out: string[] = [];
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
        if (limit > 0 && out.length === limit - 1) break;
        if (m[0].length === 0) {
            if (m.index >= text.length) break;
            if (m.index === 0) {
                re.lastIndex++;
                continue;
            }
            out.push(text.slice(last, m.index));
            last = m.index;
            re.lastIndex++;
            continue;
        }
        if (m.index === 0 && m[0].length > 0 && last === 0 && out.length === 0) {
            out.push('');
            last = m.index + m[0].length;
            continue;
        }
        out.push(text.slice(last, m.index));
        last = m.index + m[0].length;
    }
    out.push(text.slice(last));
    if (limit === 0) while (out.length > 1 && out[out.length - 1] === '') out.pop();
    if (limit === 0 && out.length === 1 && out[0] === '' && text !== '') return [];
    return out;
}

/** Java Matcher replacement string: $1 groups and \ escapes. */
function javaReplacement(rep: string): string {
    let out = '';
    for (let i = 0; i < rep.length; i++) {
        const c = rep[i];
        if (c === '\\' && i + 1 < rep.length) {
            const n = rep[++i];
            out += n === '$' ? '$$' : n;
        } else out += c;
    }
    return out;
}

/** Java String.trim(): strips characters <= U+0020 from both ends. */
function javaTrim(t: string): string {
    let a = 0;
    let b = t.length;
    while (a < b && t.charCodeAt(a) <= 32) a++;
    while (b > a && t.charCodeAt(b - 1) <= 32) b--;
    return t.slice(a, b);
}

const isBlank = (v: unknown): boolean => v === null || v === undefined || str(v).trim() === '';
const isEmpty = (v: unknown): boolean => v === null || v === undefined || str(v) === '';

function escapeHtml4(t: string): string {
    return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeHtml4(t: string): string {
    return t
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;|&apos;/g, "'")
        .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
        .replace(/&amp;/g, '&');
}

/** MessageFormat-style String.format('{0} of {1}', args). */
export function messageFormat(pattern: string, args: unknown[]): string {
    let out = '';
    let i = 0;
    while (i < pattern.length) {
        const c = pattern[i];
        if (c === "'") {
            if (pattern[i + 1] === "'") {
                out += "'";
                i += 2;
                continue;
            }
            const end = pattern.indexOf("'", i + 1);
            out += pattern.slice(i + 1, end < 0 ? undefined : end);
            i = end < 0 ? pattern.length : end + 1;
            continue;
        }
        if (c === '{') {
            const end = pattern.indexOf('}', i);
            const spec = pattern.slice(i + 1, end);
            const idx = Number(spec.split(',')[0]);
            out += Number.isInteger(idx) && idx < args.length ? formatArg(args[idx]) : `{${spec}}`;
            i = end + 1;
            continue;
        }
        out += c;
        i++;
    }
    return out;
}

function formatArg(v: unknown): string {
    if (typeof v === 'number') return v.toLocaleString('en-US');
    return ops.stringOf(v);
}

function capitalize(t: string): string {
    return t.length === 0 ? t : t[0].toUpperCase() + t.slice(1);
}

export function installStrings(r: NativeRegistry): void {
    r.register({
        name: 'String',
        statics: {
            isblank: (_c, [v]) => isBlank(v),
            isnotblank: (_c, [v]) => !isBlank(v),
            isempty: (_c, [v]) => isEmpty(v),
            isnotempty: (_c, [v]) => !isEmpty(v),
            valueof: (ctx, [v]) => {
                if (v === null || v === undefined) return 'null';
                if (v instanceof ApexDate) return v.toString();
                // "Returns a String that represents the specified Datetime in the standard
                // 'yyyy-MM-dd HH:mm:ss' format for the local time zone."
                if (v instanceof ApexDatetime)
                    return formatPattern(v.ms, 'yyyy-MM-dd HH:mm:ss', ctx.user.timeZone);
                return ops.stringOf(v);
            },
            valueofgmt: (_c, [v]) => (v instanceof ApexDatetime ? v.toString() : ops.stringOf(v)),
            'join/2': (_c, [coll, sep]) => {
                if (coll === null) return npe();
                const items =
                    coll instanceof ApexList
                        ? coll.items
                        : coll instanceof ApexSet
                          ? [...coll.map.values()]
                          : [];
                return items.map((x) => ops.stringOf(x)).join(sep === null ? 'null' : str(sep));
            },
            format: (_c, [p, args]) => messageFormat(str(p), args instanceof ApexList ? args.items : []),
            fromchararray: (_c, [arr]) => String.fromCharCode(...(arr as ApexList).items.map((x) => int(x))),
            escapesinglequotes: (_c, [v]) => str(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'"),
            getcommonprefix: (_c, [arr]) => {
                const items = (arr as ApexList).items.map((x) => str(x));
                if (items.length === 0) return '';
                let p = items[0];
                for (const x of items) while (!x.startsWith(p)) p = p.slice(0, -1);
                return p;
            }
        },
        methods: {
            length: (_c, self) => s(self).length,
            abbreviate: (_c, self, [n]) => {
                const max = int(n);
                if (max < 4) raise('StringException', 'Minimum abbreviation width is 4');
                return s(self).length <= max ? s(self) : `${s(self).slice(0, max - 3)}...`;
            },
            capitalize: (_c, self) => capitalize(s(self)),
            uncapitalize: (_c, self) =>
                s(self).length === 0 ? '' : s(self)[0].toLowerCase() + s(self).slice(1),
            center: (_c, self, [n, padStr]) => {
                const w = int(n);
                const t = s(self);
                const pd = padStr === undefined ? ' ' : str(padStr);
                if (t.length >= w) return t;
                const left = Math.floor((w - t.length) / 2);
                const right = w - t.length - left;
                return pd.repeat(left).slice(0, left) + t + pd.repeat(right).slice(0, right);
            },
            charat: (_c, self, [i]) => {
                const n = int(i);
                if (n < 0 || n >= s(self).length) raise('StringException', `String index out of range: ${n}`);
                return s(self).charCodeAt(n);
            },
            codepointat: (_c, self, [i]) => s(self).codePointAt(int(i)) ?? null,
            compareto: (_c, self, [o]) => {
                const a = s(self);
                const b = str(o);
                const n = Math.min(a.length, b.length);
                for (let i = 0; i < n; i++)
                    if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.charCodeAt(i) - b.charCodeAt(i);
                return a.length - b.length;
            },
            contains: (_c, self, [o]) => s(self).includes(str(o)),
            containsignorecase: (_c, self, [o]) => s(self).toLowerCase().includes(str(o).toLowerCase()),
            containsany: (_c, self, [o]) => [...str(o)].some((ch) => s(self).includes(ch)),
            containsnone: (_c, self, [o]) => ![...str(o)].some((ch) => s(self).includes(ch)),
            containsonly: (_c, self, [o]) => [...s(self)].every((ch) => str(o).includes(ch)),
            containswhitespace: (_c, self) => /\s/.test(s(self)),
            countmatches: (_c, self, [o]) => {
                const sub = str(o);
                if (sub === '') return 0;
                return s(self).split(sub).length - 1;
            },
            deletewhitespace: (_c, self) => s(self).replace(/\s+/g, ''),
            difference: (_c, self, [o]) => {
                const a = s(self);
                const b = str(o);
                let i = 0;
                while (i < a.length && i < b.length && a[i] === b[i]) i++;
                return b.slice(i);
            },
            endswith: (_c, self, [o]) => s(self).endsWith(str(o)),
            endswithignorecase: (_c, self, [o]) => s(self).toLowerCase().endsWith(str(o).toLowerCase()),
            equals: (_c, self, [o]) => typeof o === 'string' && o === s(self),
            equalsignorecase: (_c, self, [o]) => o !== null && str(o).toLowerCase() === s(self).toLowerCase(),
            escapecsv: (_c, self) =>
                /[",\n\r]/.test(s(self)) ? `"${s(self).replace(/"/g, '""')}"` : s(self),
            escapeecmascript: (_c, self) =>
                s(self)
                    .replace(/\\/g, '\\\\')
                    .replace(/'/g, "\\'")
                    .replace(/"/g, '\\"')
                    .replace(/\n/g, '\\n')
                    .replace(/\r/g, '\\r')
                    .replace(/\t/g, '\\t')
                    .replace(/\//g, '\\/'),
            escapehtml3: (_c, self) => escapeHtml4(s(self)),
            escapehtml4: (_c, self) => escapeHtml4(s(self)),
            escapejava: (_c, self) =>
                s(self)
                    .replace(/\\/g, '\\\\')
                    .replace(/"/g, '\\"')
                    .replace(/\n/g, '\\n')
                    .replace(/\r/g, '\\r')
                    .replace(/\t/g, '\\t'),
            escapexml: (_c, self) => escapeHtml4(s(self)).replace(/'/g, '&apos;'),
            escapeunicode: (_c, self) =>
                s(self).replace(
                    /[^\x20-\x7e]/g,
                    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
                ),
            unescapehtml4: (_c, self) => unescapeHtml4(s(self)),
            unescapehtml3: (_c, self) => unescapeHtml4(s(self)),
            unescapexml: (_c, self) => unescapeHtml4(s(self)),
            unescapejava: (_c, self) =>
                s(self).replace(
                    /\\(["\\nrt'])/g,
                    (_m, ch: string) => ({ n: '\n', r: '\r', t: '\t' })[ch] ?? ch
                ),
            getchars: (_c, self) =>
                new ApexList(
                    T.integer,
                    [...s(self)].map((ch) => ch.charCodeAt(0))
                ),
            hashcode: (_c, self) => hashString(s(self)),
            'indexof/1': (_c, self, [o]) => s(self).indexOf(str(o)),
            'indexof/2': (_c, self, [o, from]) => s(self).indexOf(str(o), int(from)),
            indexofany: (_c, self, [o]) => {
                let best = -1;
                for (const ch of str(o)) {
                    const i = s(self).indexOf(ch);
                    if (i >= 0 && (best < 0 || i < best)) best = i;
                }
                return best;
            },
            indexofanybut: (_c, self, [o]) => {
                const t = s(self);
                for (let i = 0; i < t.length; i++) if (!str(o).includes(t[i])) return i;
                return -1;
            },
            'indexofignorecase/1': (_c, self, [o]) => s(self).toLowerCase().indexOf(str(o).toLowerCase()),
            'indexofignorecase/2': (_c, self, [o, from]) =>
                s(self).toLowerCase().indexOf(str(o).toLowerCase(), int(from)),
            indexofdifference: (_c, self, [o]) => {
                const a = s(self);
                const b = str(o);
                if (a === b) return -1;
                let i = 0;
                while (i < a.length && i < b.length && a[i] === b[i]) i++;
                return i;
            },
            isallLowerCase: (_c, self) => s(self).length > 0 && /^[a-z]+$/.test(s(self)),
            isalluppercase: (_c, self) => s(self).length > 0 && /^[A-Z]+$/.test(s(self)),
            isalpha: (_c, self) => s(self).length > 0 && /^[A-Za-z]+$/.test(s(self)),
            isalphaspace: (_c, self) => /^[A-Za-z ]*$/.test(s(self)),
            isalphanumeric: (_c, self) => s(self).length > 0 && /^[A-Za-z0-9]+$/.test(s(self)),
            isalphanumericspace: (_c, self) => /^[A-Za-z0-9 ]*$/.test(s(self)),
            isasciiprintable: (_c, self) => /^[\x20-\x7e]*$/.test(s(self)),
            isnumeric: (_c, self) => s(self).length > 0 && /^[0-9]+$/.test(s(self)),
            isnumericspace: (_c, self) => /^[0-9 ]*$/.test(s(self)),
            iswhitespace: (_c, self) => /^\s*$/.test(s(self)),
            isblank: (_c, self) => isBlank(self),
            isnotblank: (_c, self) => !isBlank(self),
            isempty: (_c, self) => s(self) === '',
            isnotempty: (_c, self) => s(self) !== '',
            'lastindexof/1': (_c, self, [o]) => s(self).lastIndexOf(str(o)),
            'lastindexof/2': (_c, self, [o, from]) => s(self).lastIndexOf(str(o), int(from)),
            lastindexofignorecase: (_c, self, [o]) => s(self).toLowerCase().lastIndexOf(str(o).toLowerCase()),
            left: (_c, self, [n]) => s(self).slice(0, Math.max(0, int(n))),
            right: (_c, self, [n]) => (int(n) <= 0 ? '' : s(self).slice(-int(n))),
            mid: (_c, self, [start, n]) => s(self).substr(Math.max(0, int(start)), Math.max(0, int(n))),
            'leftpad/1': (_c, self, [n]) => s(self).padStart(int(n), ' '),
            'leftpad/2': (_c, self, [n, p]) => s(self).padStart(int(n), str(p)),
            'rightpad/1': (_c, self, [n]) => s(self).padEnd(int(n), ' '),
            'rightpad/2': (_c, self, [n, p]) => s(self).padEnd(int(n), str(p)),
            normalizespace: (_c, self) => s(self).trim().replace(/\s+/g, ' '),
            remove: (_c, self, [o]) => s(self).split(str(o)).join(''),
            removeend: (_c, self, [o]) =>
                s(self).endsWith(str(o)) && str(o) !== '' ? s(self).slice(0, -str(o).length) : s(self),
            removeendignorecase: (_c, self, [o]) =>
                str(o) !== '' && s(self).toLowerCase().endsWith(str(o).toLowerCase())
                    ? s(self).slice(0, -str(o).length)
                    : s(self),
            removestart: (_c, self, [o]) =>
                s(self).startsWith(str(o)) ? s(self).slice(str(o).length) : s(self),
            removestartignorecase: (_c, self, [o]) =>
                s(self).toLowerCase().startsWith(str(o).toLowerCase())
                    ? s(self).slice(str(o).length)
                    : s(self),
            'repeat/1': (_c, self, [n]) => s(self).repeat(Math.max(0, int(n))),
            'repeat/2': (_c, self, [sep, n]) =>
                Array.from({ length: Math.max(0, int(n)) }, () => s(self)).join(str(sep)),
            replace: (_c, self, [a, b]) => s(self).split(str(a)).join(str(b)),
            replaceall: (_c, self, [re, rep]) =>
                s(self).replace(javaRegex(str(re), 'g'), javaReplacement(str(rep))),
            replacefirst: (_c, self, [re, rep]) =>
                s(self).replace(javaRegex(str(re)), javaReplacement(str(rep))),
            reverse: (_c, self) => [...s(self)].reverse().join(''),
            'split/1': (_c, self, [re]) => strList(javaSplit(s(self), str(re))),
            'split/2': (_c, self, [re, n]) => strList(javaSplit(s(self), str(re), int(n))),
            splitbycharactertype: (_c, self) =>
                strList(s(self).match(/[A-Z]+|[a-z]+|[0-9]+|\s+|[^A-Za-z0-9\s]+/g) ?? []),
            startswith: (_c, self, [o]) => s(self).startsWith(str(o)),
            startswithignorecase: (_c, self, [o]) => s(self).toLowerCase().startsWith(str(o).toLowerCase()),
            striphtmltags: (_c, self) =>
                s(self)
                    .replace(/<[^>]*>/g, '')
                    .trim(),
            'substring/1': (_c, self, [a]) => {
                const i = int(a);
                if (i < 0 || i > s(self).length)
                    raise('StringException', `Starting position out of bounds: ${i}`);
                return s(self).slice(i);
            },
            'substring/2': (_c, self, [a, b]) => {
                const i = int(a);
                const j = int(b);
                if (i < 0 || j > s(self).length || i > j)
                    raise('StringException', `Ending position out of bounds: ${j}`);
                return s(self).slice(i, j);
            },
            substringafter: (_c, self, [o]) => {
                const i = s(self).indexOf(str(o));
                return i < 0 ? '' : s(self).slice(i + str(o).length);
            },
            substringafterlast: (_c, self, [o]) => {
                const i = s(self).lastIndexOf(str(o));
                return i < 0 || str(o) === '' ? '' : s(self).slice(i + str(o).length);
            },
            substringbefore: (_c, self, [o]) => {
                const i = s(self).indexOf(str(o));
                return i < 0 ? s(self) : s(self).slice(0, i);
            },
            substringbeforelast: (_c, self, [o]) => {
                const i = s(self).lastIndexOf(str(o));
                return i < 0 || str(o) === '' ? s(self) : s(self).slice(0, i);
            },
            'substringbetween/1': (_c, self, [o]) => {
                const t = s(self);
                const a = t.indexOf(str(o));
                if (a < 0) return null;
                const b = t.indexOf(str(o), a + str(o).length);
                return b < 0 ? null : t.slice(a + str(o).length, b);
            },
            'substringbetween/2': (_c, self, [o, c]) => {
                const t = s(self);
                const a = t.indexOf(str(o));
                if (a < 0) return null;
                const b = t.indexOf(str(c), a + str(o).length);
                return b < 0 ? null : t.slice(a + str(o).length, b);
            },
            swapcase: (_c, self) =>
                [...s(self)]
                    .map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()))
                    .join(''),
            tolowercase: (_c, self) => s(self).toLowerCase(),
            touppercase: (_c, self) => s(self).toUpperCase(),
            trim: (_c, self) => javaTrim(s(self)),
            strip: (_c, self) => s(self).trim(),
            tostring: (_c, self) => s(self),
            format: (_c, self, [args]) => messageFormat(s(self), args instanceof ApexList ? args.items : []),
            'formatdate/1': (ctx, self, [d]) =>
                formatPattern((d as ApexDatetime).ms, s(self), ctx.user.timeZone)
        }
    });
}
