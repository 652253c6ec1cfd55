/** Pattern and Matcher (Apex Reference: Pattern Class, Matcher Class), on JavaScript RegExp. */
import { raise } from '../runtime/errors.js';
import type { NativeRegistry } from '../runtime/natives.js';
import { NativeObject } from '../runtime/values.js';
import { javaRegex, javaSplit } from './strings.js';
import { int, str, strList } from './util.js';

interface PatternState {
    readonly source: string;
    readonly re: RegExp;
    toString(): string;
}

interface MatcherState {
    pattern: PatternState;
    input: string;
    /** Position the next find() starts at. */
    pos: number;
    match: RegExpExecArray | null;
}

function P(self: unknown): PatternState {
    return (self as NativeObject<PatternState>).state;
}
function M(self: unknown): MatcherState {
    return (self as NativeObject<MatcherState>).state;
}

function compile(source: string): NativeObject<PatternState> {
    const re = javaRegex(source);
    return new NativeObject('pattern', { source, re, toString: () => source });
}

function anchored(p: PatternState): RegExp {
    return new RegExp(`^(?:${p.re.source})$`, p.re.flags);
}

function current(m: MatcherState): RegExpExecArray {
    if (!m.match) return raise('StringException', 'No match found');
    return m.match;
}

/** Matcher.find(): the next match at or after `start`. */
function findFrom(m: MatcherState, start: number): boolean {
    const re = new RegExp(m.pattern.re.source, `${m.pattern.re.flags.replace('g', '')}g`);
    re.lastIndex = start;
    const res = re.exec(m.input);
    m.match = res;
    if (res) m.pos = res.index + Math.max(res[0].length, 1);
    return res !== null;
}

export function installRegex(r: NativeRegistry): void {
    r.register({
        name: 'Pattern',
        statics: {
            compile: (_c, [s]) => compile(str(s)),
            matches: (_c, [re, input]) => anchored(compile(str(re)).state).test(str(input)),
            quote: (_c, [s]) => `\\Q${str(s)}\\E`
        },
        methods: {
            matcher: (_c, self, [input]) =>
                new NativeObject('matcher', { pattern: P(self), input: str(input), pos: 0, match: null }),
            pattern: (_c, self) => P(self).source,
            'split/1': (_c, self, [input]) => strList(javaSplit(str(input), P(self).source)),
            'split/2': (_c, self, [input, n]) => strList(javaSplit(str(input), P(self).source, int(n))),
            tostring: (_c, self) => P(self).source
        }
    });
    r.register({
        name: 'Matcher',
        methods: {
            matches: (_c, self) => {
                const m = M(self);
                const res = anchored(m.pattern).exec(m.input);
                m.match = res;
                if (res) m.pos = m.input.length;
                return res !== null;
            },
            lookingat: (_c, self) => {
                const m = M(self);
                const res = new RegExp(`^(?:${m.pattern.re.source})`, m.pattern.re.flags).exec(m.input);
                m.match = res;
                return res !== null;
            },
            'find/0': (_c, self) => findFrom(M(self), M(self).pos),
            'find/1': (_c, self, [start]) => findFrom(M(self), int(start)),
            'group/0': (_c, self) => current(M(self))[0],
            'group/1': (_c, self, [n]) => {
                const g = current(M(self));
                const i = int(n);
                if (i < 0 || i >= g.length) raise('StringException', `No group ${i}`);
                return g[i] ?? null;
            },
            groupcount: (_c, self) => new RegExp(`${M(self).pattern.re.source}|`).exec('')!.length - 1,
            'start/0': (_c, self) => current(M(self)).index,
            'end/0': (_c, self) => current(M(self)).index + current(M(self))[0].length,
            hitend: (_c, self) => M(self).pos >= M(self).input.length,
            reset: (_c, self, args) => {
                const m = M(self);
                if (args.length === 1) m.input = str(args[0]);
                m.pos = 0;
                m.match = null;
                return self;
            },
            replaceall: (_c, self, [rep]) =>
                M(self).input.replace(
                    new RegExp(M(self).pattern.re.source, `${M(self).pattern.re.flags.replace('g', '')}g`),
                    str(rep)
                ),
            replacefirst: (_c, self, [rep]) =>
                M(self).input.replace(
                    new RegExp(M(self).pattern.re.source, M(self).pattern.re.flags.replace('g', '')),
                    str(rep)
                ),
            pattern: (_c, self) => new NativeObject('pattern', M(self).pattern)
        }
    });
}
