/**
 * Salesforce record ids: 3-character key prefix, 15-character case-sensitive form and the
 * 18-character case-insensitive form with its 3-character checksum suffix.
 *
 * "The 18-character ID is a case-insensitive version of the 15-character ID. ... The last three
 * characters encode the capitalization of the first 15" — Object Reference, "Field Types: ID".
 * The checksum: for each 5-character chunk, bit i is set when character i is an upper-case letter;
 * the 5-bit value indexes "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".
 */
import { idSuffix } from '../runtime/values.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Key prefixes of the standard objects the package and its tests touch (Object Reference). */
export const STANDARD_KEY_PREFIXES: Readonly<Record<string, string>> = {
    Account: '001',
    Note: '002',
    Contact: '003',
    User: '005',
    Opportunity: '006',
    Profile: '00e',
    UserRole: '00E',
    Organization: '00D',
    Group: '00G',
    OpportunityContactRole: '00K',
    OpportunityLineItem: '00k',
    Attachment: '00P',
    Lead: '00Q',
    Task: '00T',
    Event: '00U',
    RecordType: '012',
    ContentDocument: '069',
    ContentVersion: '068',
    EmailMessage: '02s',
    CaseContactRole: '03j',
    Product2: '01t',
    Pricebook2: '01s',
    PricebookEntry: '01u',
    ApexClass: '01p',
    ApexTrigger: '01q',
    Case: '500',
    Campaign: '701',
    AsyncApexJob: '707',
    Contract: '800',
    Order: '801',
    OrderItem: '802',
    CronJobDetail: '08a',
    CronTrigger: '08e',
    PermissionSet: '0PS',
    ObjectPermissions: '110',
    FieldPermissions: '01k',
    PermissionSetAssignment: '0Pa',
    PermissionSetGroup: '0PG',
    CustomPermission: '0CP',
    SetupEntityAccess: '0J0',
    NamedCredential: '0XA',
    FeedItem: '0D5'
};

/** The 18-character form of a 15- or 18-character id. */
export function to18(id: string): string {
    if (id.length === 18) return id.slice(0, 15) + checksum(id.slice(0, 15));
    if (id.length !== 15) throw new Error(`Invalid id: ${id}`);
    return id + checksum(id);
}

/** The 3-character case-safe suffix (the core's implementation of the documented algorithm). */
export const checksum = idSuffix;

/** "Id" validity as Apex checks it when a String is assigned to an Id: 15 or 18 alphanumerics, valid checksum. */
export function isValidId(s: string): boolean {
    if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(s)) return false;
    if (s.length === 18) return checksum(s.slice(0, 15)).toLowerCase() === s.slice(15).toLowerCase();
    return true;
}

/** Ids are equal when their 15-character forms are equal (Apex Developer Guide, "Primitive Data Types": Id). */
export function idEquals(a: string, b: string): boolean {
    return a.slice(0, 15) === b.slice(0, 15);
}

/** Map key for an id: its 15-character form. */
export function idKey(id: string): string {
    return id.slice(0, 15);
}

/** Deterministic id generator: prefix + pod "0X0" + 9-character base62 counter, always 18 characters. */
export class IdGenerator {
    private counter = 0;
    constructor(private readonly pod = '0X0') {}

    next(prefix: string): string {
        this.counter++;
        let n = this.counter;
        let s = '';
        while (n > 0) {
            s = BASE62[n % 62] + s;
            n = Math.floor(n / 62);
        }
        return to18(prefix + this.pod + s.padStart(9, '0'));
    }

    get value(): number {
        return this.counter;
    }

    set value(v: number) {
        this.counter = v;
    }
}

/** A custom object key prefix from its position in the sorted list of custom objects: a00, a01, ... aZz. */
export function customPrefix(index: number, letter = 'a'): string {
    return letter + BASE62[Math.floor(index / 62) % 62] + BASE62[index % 62];
}
