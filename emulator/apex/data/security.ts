/**
 * Object and field permissions of a user for user-mode operations (WITH USER_MODE, AccessLevel.USER_MODE,
 * Security.stripInaccessible, WITH SECURITY_ENFORCED), from the user's profile and the project's
 * permission sets assigned to the user (PermissionSetAssignment rows).
 *
 * Model of the built-in profiles (Salesforce Help, "Standard Profiles"):
 * - System Administrator: "Modify All Data" — every object permission; standard fields readable and
 *   editable; custom fields only where a permission set grants field permissions, because fields
 *   deployed with the Metadata API carry no field-level security for any profile.
 * - Standard User: create/read/edit/delete on the standard sales and service objects, read on products
 *   and price books, no access to custom objects unless a permission set grants it.
 * - Minimum Access - Salesforce: nothing beyond what permission sets grant.
 * Record sharing is not emulated: the runner says so.
 */
import type { FieldDef, ObjectDef, ObjectPermission, PermissionSetDef } from './schema.js';
import type { FieldAccess } from './soql/eval.js';
import type { WriteAccess } from './dml.js';

export const PROFILE_NAMES = [
    'System Administrator',
    'Standard User',
    'Minimum Access - Salesforce',
    'Read Only'
] as const;

const STANDARD_USER_CRUD = new Set([
    'account',
    'contact',
    'opportunity',
    'opportunitycontactrole',
    'opportunitylineitem',
    'order',
    'orderitem',
    'case',
    'casecontactrole',
    'task',
    'event',
    'lead',
    'campaign',
    'contract'
]);
const STANDARD_USER_READ = new Set([
    'product2',
    'pricebook2',
    'pricebookentry',
    'user',
    'profile',
    'organization',
    'permissionset',
    'permissionsetassignment',
    'asyncapexjob',
    'crontrigger',
    'recordtype',
    'group'
]);

const NONE: ObjectPermission = {
    read: false,
    create: false,
    edit: false,
    delete: false,
    viewAll: false,
    modifyAll: false
};
const ALL: ObjectPermission = {
    read: true,
    create: true,
    edit: true,
    delete: true,
    viewAll: true,
    modifyAll: true
};

export interface RecordAccess {
    read: boolean;
    edit: boolean;
    delete: boolean;
    transfer: boolean;
    all: boolean;
    /** UserRecordAccess.MaxAccessLevel: None, Read, Edit, Delete, Transfer or All. */
    max: string;
}

export class UserAccess implements FieldAccess, WriteAccess {
    constructor(
        readonly profileName: string,
        readonly permissionSets: PermissionSetDef[]
    ) {}

    get isAdmin(): boolean {
        return this.profileName === 'System Administrator';
    }

    objectPermission(def: ObjectDef): ObjectPermission {
        const lc = def.name.toLowerCase();
        let p: ObjectPermission = NONE;
        if (this.isAdmin) p = ALL;
        else if (def.kind === 'standard') {
            if (this.profileName === 'Standard User' && STANDARD_USER_CRUD.has(lc))
                p = { ...ALL, viewAll: false, modifyAll: false };
            else if (
                (this.profileName === 'Standard User' || this.profileName === 'Read Only') &&
                (STANDARD_USER_READ.has(lc) || STANDARD_USER_CRUD.has(lc))
            )
                p = { ...NONE, read: true };
        }
        if (def.kind === 'customSetting' || def.kind === 'customMetadata' || lc === 'userrecordaccess')
            p = { ...p, read: true };
        for (const ps of this.permissionSets) {
            const g = ps.objects.get(lc);
            if (!g) continue;
            p = {
                read: p.read || g.read,
                create: p.create || g.create,
                edit: p.edit || g.edit,
                delete: p.delete || g.delete,
                viewAll: p.viewAll || g.viewAll,
                modifyAll: p.modifyAll || g.modifyAll
            };
        }
        return p;
    }

    /**
     * The user's access to one record, for UserRecordAccess. Record sharing is not emulated: every record is
     * treated as shared read/write with every user (Public Read/Write), so access follows the object
     * permissions; delete, transfer and sharing (HasAllAccess) need ownership or Modify All, as the record
     * owner is the one who can delete, transfer and share a record shared read/write.
     */
    recordAccess(def: ObjectDef, owned: boolean): RecordAccess {
        const p = this.objectPermission(def);
        const full = owned || p.modifyAll;
        const read = p.read || p.viewAll;
        const edit = read && (p.edit || p.modifyAll);
        const del = edit && full && (p.delete || p.modifyAll);
        const transfer = edit && full;
        const all = del && transfer;
        const max = all
            ? 'All'
            : transfer
              ? 'Transfer'
              : del
                ? 'Delete'
                : edit
                  ? 'Edit'
                  : read
                    ? 'Read'
                    : 'None';
        return { read, edit, delete: del, transfer, all, max };
    }

    canRead(def: ObjectDef): boolean {
        return this.objectPermission(def).read;
    }
    canCreate(def: ObjectDef): boolean {
        return this.objectPermission(def).create;
    }
    canEdit(def: ObjectDef): boolean {
        return this.objectPermission(def).edit;
    }
    canDelete(def: ObjectDef): boolean {
        return this.objectPermission(def).delete;
    }

    private fieldPermission(def: ObjectDef, field: FieldDef): { read: boolean; edit: boolean } {
        // Fields without field-level security: Id, Name, system audit fields, required and master-detail fields.
        if (!field.custom || field.required || def.kind === 'customMetadata') {
            const op = this.objectPermission(def);
            return { read: op.read, edit: op.edit || op.create };
        }
        let read = false;
        let edit = false;
        const key = `${def.name}.${field.name}`.toLowerCase();
        for (const ps of this.permissionSets) {
            const g = ps.fields.get(key);
            if (g) {
                read ||= g.read || g.edit;
                edit ||= g.edit;
            }
        }
        if (def.kind === 'customSetting' && this.isAdmin) return { read: true, edit: true };
        return { read, edit };
    }

    canReadField(def: ObjectDef, field: FieldDef): boolean {
        return this.canRead(def) && this.fieldPermission(def, field).read;
    }

    canEditField(def: ObjectDef, field: FieldDef, creating: boolean): boolean {
        if (creating ? !field.createable : !field.updateable) return false;
        return this.fieldPermission(def, field).edit;
    }

    hasCustomPermission(name: string): boolean {
        return this.permissionSets.some((ps) => ps.customPermissions.has(name.toLowerCase()));
    }

    /** Schema describe for this user (DescribeFieldResult.isAccessible ...). */
    describeField(
        def: ObjectDef,
        field: FieldDef
    ): { accessible: boolean; createable: boolean; updateable: boolean } {
        return {
            accessible: this.canReadField(def, field),
            createable: field.createable && this.canCreate(def) && this.fieldPermission(def, field).edit,
            updateable: field.updateable && this.canEdit(def) && this.fieldPermission(def, field).edit
        };
    }
}

/**
 * Object permission dependencies (Object Reference, ObjectPermissions): Create, Edit and View All "Require
 * PermissionsRead for the same object"; Delete requires Read and Edit; Modify All requires Read, Delete,
 * Edit and View All. FieldPermissions: Edit "Requires PermissionsRead for the same field". The platform
 * fails the row instead of enabling the dependency (FIELD_INTEGRITY_EXCEPTION "Permission X depends on
 * permission(s): Y", the form data loads report).
 */
const OBJECT_PERMISSION_DEPENDENCIES: readonly [string, string, readonly string[]][] = [
    ['PermissionsCreate', 'Create', ['PermissionsRead']],
    ['PermissionsEdit', 'Edit', ['PermissionsRead']],
    ['PermissionsViewAllRecords', 'Read All', ['PermissionsRead']],
    ['PermissionsDelete', 'Delete', ['PermissionsRead', 'PermissionsEdit']],
    [
        'PermissionsModifyAllRecords',
        'Modify All',
        ['PermissionsRead', 'PermissionsEdit', 'PermissionsDelete', 'PermissionsViewAllRecords']
    ]
];
const PERMISSION_LABELS: Record<string, string> = {
    PermissionsRead: 'Read',
    PermissionsEdit: 'Edit',
    PermissionsDelete: 'Delete',
    PermissionsViewAllRecords: 'Read All'
};

export interface PermissionRowError {
    statusCode: string;
    message: string;
    fields: string[];
}

/**
 * Validation of an ObjectPermissions / FieldPermissions row on insert and update: the object (and field)
 * exist — SobjectType and Field are restricted picklists — Field is prefixed with the SobjectType ("This
 * name must be prefixed with the SobjectType", Object Reference, FieldPermissions), and the dependencies
 * above hold. `get` reads the row's value after the change.
 */
export function permissionRowError(
    objectName: 'ObjectPermissions' | 'FieldPermissions',
    get: (field: string) => unknown,
    objectOf: (name: string) => ObjectDef | undefined
): PermissionRowError | null {
    const type = String(get('SobjectType') ?? '');
    const target = objectOf(type);
    if (!target)
        return {
            statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            message: `SObject Type Name: bad value for restricted picklist field: ${type}`,
            fields: ['SobjectType']
        };
    const on = (f: string) => get(f) === true;
    if (objectName === 'FieldPermissions') {
        const field = String(get('Field') ?? '');
        const dot = field.indexOf('.');
        const fieldName = field.slice(dot + 1);
        if (
            dot < 0 ||
            field.slice(0, dot).toLowerCase() !== target.name.toLowerCase() ||
            !target.fields.has(fieldName.toLowerCase())
        )
            return {
                statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
                message: `Field Name: bad value for restricted picklist field: ${field}`,
                fields: ['Field']
            };
        if (on('PermissionsEdit') && !on('PermissionsRead'))
            return dependencyError(`Edit ${field}`, [`Read ${field}`]);
        return null;
    }
    for (const [perm, label, needs] of OBJECT_PERMISSION_DEPENDENCIES) {
        if (!on(perm)) continue;
        const missing = needs.filter((n) => !on(n)).map((n) => `${PERMISSION_LABELS[n]} ${target.name}`);
        if (missing.length) return dependencyError(`${label} ${target.name}`, missing);
    }
    return null;
}

function dependencyError(permission: string, missing: string[]): PermissionRowError {
    return {
        statusCode: 'FIELD_INTEGRITY_EXCEPTION',
        message: `Permission ${permission} depends on permission(s): ${missing.join(', ')}`,
        fields: []
    };
}
