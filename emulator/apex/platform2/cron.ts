/**
 * Cron expressions of System.schedule (Apex Developer Guide, "Apex Scheduler"):
 * `Seconds Minutes Hours Day_of_month Month Day_of_week [Optional_year]` with `*`, `?`, `,`, `-`, `/`,
 * `L` (last day of month), month names JAN-DEC and day names SUN-SAT (SUN = 1). Times are GMT locally.
 */
import { ApexError } from '../runtime/errors.js';

export interface CronSpec {
    seconds: Set<number>;
    minutes: Set<number>;
    hours: Set<number>;
    days: Set<number> | 'any' | 'last';
    months: Set<number>;
    weekdays: Set<number> | 'any';
    years: Set<number> | 'any';
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function field(text: string, min: number, max: number, names: string[] = [], nameBase = 1): Set<number> {
    const out = new Set<number>();
    const val = (t: string): number => {
        const i = names.indexOf(t.toUpperCase());
        const n = i >= 0 ? i + nameBase : Number(t);
        if (!Number.isInteger(n) || n < min || n > max)
            throw new ApexError('StringException', `Unexpected value in cron expression: ${t}`);
        return n;
    };
    for (const part of text.split(',')) {
        const [range, stepText] = part.split('/');
        const step = stepText ? Number(stepText) : 1;
        let lo = min;
        let hi = max;
        if (range !== '*') {
            const [a, b] = range.split('-');
            lo = val(a);
            hi = b !== undefined ? val(b) : stepText ? max : lo;
        }
        for (let v = lo; v <= hi; v += step) out.add(v);
    }
    return out;
}

export function parseCron(expr: string): CronSpec {
    const p = expr.trim().split(/\s+/);
    if (p.length < 6 || p.length > 7)
        throw new ApexError('StringException', `Invalid cron expression: ${expr}`);
    if ((p[3] === '?') === (p[5] === '?')) {
        throw new ApexError(
            'StringException',
            'Support for specifying both a day-of-week AND a day-of-month parameter is not implemented.'
        );
    }
    return {
        seconds: field(p[0], 0, 59),
        minutes: field(p[1], 0, 59),
        hours: field(p[2], 0, 23),
        days: p[3] === '?' ? 'any' : p[3] === 'L' ? 'last' : field(p[3], 1, 31),
        months: field(p[4], 1, 12, MONTHS),
        weekdays: p[5] === '?' ? 'any' : field(p[5], 1, 7, DAYS),
        years: p[6] === undefined ? 'any' : field(p[6], 1970, 2099)
    };
}

/** The first fire time at or after `fromMs` (GMT), or null when none within ten years. */
export function nextFireTime(spec: CronSpec, fromMs: number): number | null {
    const start = new Date(Math.ceil(fromMs / 1000) * 1000);
    const limit = fromMs + 10 * 366 * 86400000;
    let d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
    while (d.getTime() < limit) {
        const y = d.getUTCFullYear();
        const m = d.getUTCMonth() + 1;
        const day = d.getUTCDate();
        const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
        const okYear = spec.years === 'any' || spec.years.has(y);
        const okDay = spec.days === 'any' || (spec.days === 'last' ? day === lastDay : spec.days.has(day));
        const okWeek = spec.weekdays === 'any' || spec.weekdays.has(d.getUTCDay() + 1);
        if (okYear && spec.months.has(m) && okDay && okWeek) {
            for (const h of [...spec.hours].sort((a, b) => a - b)) {
                for (const mi of [...spec.minutes].sort((a, b) => a - b)) {
                    for (const s of [...spec.seconds].sort((a, b) => a - b)) {
                        const t = Date.UTC(y, m - 1, day, h, mi, s);
                        if (t >= start.getTime()) return t;
                    }
                }
            }
        }
        d = new Date(d.getTime() + 86400000);
    }
    return null;
}
