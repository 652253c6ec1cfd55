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
        if (def.kind === 'customSetting' || def.kind === 'customMetadata') p = { ...p, read: true };
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
