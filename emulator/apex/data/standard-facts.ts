/**
 * What the vendored standard-object table leaves out — required flags, lengths, picklists, defaults,
 * read-only fields — for the standard objects the package touches, from the Salesforce Object
 * Reference (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/):
 * each object's page lists a field's "Properties" ("Create", "Update", "Nillable", "Defaulted on create")
 * and says "Required" in its description; a field without "Create" is read-only to DML, one without
 * "Update" is create-only; "Nillable" absent plus "Create" without "Defaulted on create" is required.
 */
import type { FieldType } from './schema.js';

export interface StandardFieldFacts {
    label?: string;
    type?: FieldType;
    length?: number;
    precision?: number;
    scale?: number;
    required?: boolean;
    unique?: boolean;
    picklist?: string[];
    picklistDefault?: string;
    restricted?: boolean;
    defaultValue?: string | number | boolean;
    /** No "Create" property: set by the platform (formula, system, roll-up). */
    readOnly?: boolean;
    /** "Create" without "Update". */
    createOnly?: boolean;
}

export interface StandardObjectFacts {
    label?: string;
    labelPlural?: string;
    /** "Supported Calls" lacks create()/update()/delete(): DML fails with "DML operation X not allowed on Y". */
    dml?: false;
    fields: Record<string, StandardFieldFacts>;
}

/**
 * Setup objects: "DML operations on certain sObjects, sometimes referred to as setup objects, can't be
 * mixed with DML on non-setup sObjects in the same transaction" (Apex Developer Guide, "sObjects That
 * Can't Be Used Together in DML Operations").
 */
export const SETUP_OBJECTS: ReadonlySet<string> = new Set([
    'FieldPermissions',
    'Group',
    'GroupMember',
    'ObjectPermissions',
    'PermissionSet',
    'PermissionSetAssignment',
    'QueueSObject',
    'SetupEntityAccess',
    'User',
    'UserRole',
    'UserTerritory2Association',
    'Territory2'
]);

/**
 * Opportunity stages of a new org with their "Probability", "IsClosed" and "IsWon" (Object Reference,
 * OpportunityStage: "IsClosed ... Indicates whether this stage is closed", "IsWon ... whether this stage
 * represents a won opportunity"); Opportunity.IsClosed/IsWon are read-only and follow StageName.
 */
export const OPPORTUNITY_STAGES: readonly {
    name: string;
    probability: number;
    closed: boolean;
    won: boolean;
    forecast: string;
}[] = [
    { name: 'Prospecting', probability: 10, closed: false, won: false, forecast: 'Pipeline' },
    { name: 'Qualification', probability: 10, closed: false, won: false, forecast: 'Pipeline' },
    { name: 'Needs Analysis', probability: 20, closed: false, won: false, forecast: 'Pipeline' },
    { name: 'Value Proposition', probability: 50, closed: false, won: false, forecast: 'Pipeline' },
    { name: 'Id. Decision Makers', probability: 60, closed: false, won: false, forecast: 'Pipeline' },
    { name: 'Perception Analysis', probability: 70, closed: false, won: false, forecast: 'Pipeline' },
    { name: 'Proposal/Price Quote', probability: 75, closed: false, won: false, forecast: 'Pipeline' },
    { name: 'Negotiation/Review', probability: 90, closed: false, won: false, forecast: 'Pipeline' },
    { name: 'Closed Won', probability: 100, closed: true, won: true, forecast: 'Closed' },
    { name: 'Closed Lost', probability: 0, closed: true, won: false, forecast: 'Omitted' }
];

export const CASE_STATUSES: readonly { name: string; closed: boolean }[] = [
    { name: 'New', closed: false },
    { name: 'Working', closed: false },
    { name: 'Escalated', closed: false },
    { name: 'Closed', closed: true }
];

export const TASK_STATUSES: readonly { name: string; closed: boolean }[] = [
    { name: 'Not Started', closed: false },
    { name: 'In Progress', closed: false },
    { name: 'Completed', closed: true },
    { name: 'Waiting on someone else', closed: false },
    { name: 'Deferred', closed: false }
];

const RO: StandardFieldFacts = { readOnly: true };

export const STANDARD_FACTS: Readonly<Record<string, StandardObjectFacts>> = {
    Account: {
        labelPlural: 'Accounts',
        fields: {
            Name: { required: true, length: 255 },
            Type: {
                type: 'picklist',
                picklist: [
                    'Prospect',
                    'Customer - Direct',
                    'Customer - Channel',
                    'Channel Partner / Reseller',
                    'Installation Partner',
                    'Technology Partner',
                    'Other'
                ]
            },
            Industry: { type: 'picklist' },
            Phone: { type: 'phone', length: 40 },
            Website: { type: 'url', length: 255 },
            AccountNumber: { length: 40 },
            Description: { type: 'textarea', length: 32000 }
        }
    },
    Contact: {
        fields: {
            LastName: { required: true, length: 80 },
            FirstName: { length: 40 },
            Salutation: { type: 'picklist', picklist: ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'] },
            Name: { ...RO, length: 121 },
            Email: { type: 'email', length: 80 },
            Phone: { type: 'phone', length: 40 },
            Title: { length: 128 },
            HasOptedOutOfEmail: { defaultValue: false },
            MailingCountry: { length: 80 }
        }
    },
    User: {
        fields: {
            Username: { required: true, length: 80, unique: true },
            LastName: { required: true, length: 80 },
            FirstName: { length: 40 },
            Name: { ...RO, length: 121 },
            Email: { required: true, type: 'email', length: 128 },
            Alias: { required: true, length: 8 },
            CommunityNickname: { length: 40 },
            TimeZoneSidKey: { required: true, type: 'picklist', length: 40 },
            LocaleSidKey: { required: true, type: 'picklist', length: 40 },
            EmailEncodingKey: { required: true, type: 'picklist', length: 40 },
            LanguageLocaleKey: { required: true, type: 'picklist', length: 40 },
            ProfileId: { required: true },
            IsActive: { defaultValue: true },
            UserType: { ...RO }
        }
    },
    Opportunity: {
        fields: {
            Name: { required: true, length: 120 },
            StageName: { required: true, type: 'picklist', picklist: OPPORTUNITY_STAGES.map((s) => s.name) },
            CloseDate: { required: true },
            Amount: { type: 'currency', precision: 18, scale: 2 },
            Probability: { type: 'percent', precision: 3, scale: 0 },
            IsClosed: RO,
            IsWon: RO,
            ForecastCategory: RO,
            HasOpportunityLineItem: RO,
            ExpectedRevenue: RO,
            Type: {
                type: 'picklist',
                picklist: [
                    'Existing Customer - Upgrade',
                    'Existing Customer - Replacement',
                    'Existing Customer - Downgrade',
                    'New Customer'
                ]
            },
            LeadSource: {
                type: 'picklist',
                picklist: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']
            },
            Description: { type: 'textarea', length: 32000 }
        }
    },
    OpportunityContactRole: {
        fields: {
            OpportunityId: { required: true, createOnly: true },
            ContactId: { required: true },
            Role: {
                type: 'picklist',
                picklist: [
                    'Business User',
                    'Decision Maker',
                    'Economic Buyer',
                    'Economic Decision Maker',
                    'Evaluator',
                    'Executive Sponsor',
                    'Influencer',
                    'Technical Buyer',
                    'Other'
                ]
            },
            IsPrimary: { defaultValue: false }
        }
    },
    OpportunityLineItem: {
        fields: {
            OpportunityId: { required: true, createOnly: true },
            PricebookEntryId: { createOnly: true },
            Product2Id: { createOnly: true },
            Quantity: { required: true },
            UnitPrice: { type: 'currency' },
            TotalPrice: { type: 'currency' },
            ListPrice: RO,
            Name: RO,
            ProductCode: RO
        }
    },
    Order: {
        fields: {
            AccountId: { required: true },
            EffectiveDate: { required: true },
            Status: {
                required: true,
                type: 'picklist',
                picklist: ['Draft', 'Activated'],
                picklistDefault: 'Draft',
                restricted: true
            },
            StatusCode: RO,
            OrderNumber: { ...RO, length: 30 },
            TotalAmount: { ...RO, type: 'currency' },
            ActivatedDate: RO,
            ActivatedById: RO,
            Name: { length: 80 },
            Description: { type: 'textarea', length: 32000 }
        }
    },
    OrderItem: {
        fields: {
            OrderId: { required: true, createOnly: true },
            PricebookEntryId: { required: true, createOnly: true },
            Product2Id: { createOnly: true },
            Quantity: { required: true },
            UnitPrice: { required: true, type: 'currency' },
            ListPrice: { ...RO, type: 'currency' },
            TotalPrice: { ...RO, type: 'currency' },
            OrderItemNumber: RO
        }
    },
    Product2: {
        fields: {
            Name: { required: true, length: 255 },
            ProductCode: { length: 255 },
            StockKeepingUnit: { length: 180, unique: true },
            IsActive: { defaultValue: false },
            Family: { type: 'picklist', picklist: ['None'] },
            Description: { type: 'textarea', length: 4000 },
            DisplayUrl: { type: 'url', length: 1000 }
        }
    },
    Pricebook2: {
        fields: {
            Name: { required: true, length: 255 },
            IsActive: { defaultValue: false },
            IsStandard: RO
        }
    },
    PricebookEntry: {
        fields: {
            Pricebook2Id: { required: true, createOnly: true },
            Product2Id: { required: true, createOnly: true },
            UnitPrice: { required: true, type: 'currency' },
            IsActive: { defaultValue: false },
            UseStandardPrice: { defaultValue: false },
            Name: RO,
            ProductCode: RO
        }
    },
    Case: {
        fields: {
            Status: { type: 'picklist', picklist: CASE_STATUSES.map((s) => s.name), picklistDefault: 'New' },
            Origin: { type: 'picklist', picklist: ['Phone', 'Email', 'Web'] },
            Priority: { type: 'picklist', picklist: ['High', 'Medium', 'Low'], picklistDefault: 'Medium' },
            Reason: { type: 'picklist' },
            Type: { type: 'picklist' },
            Subject: { length: 255 },
            Description: { type: 'textarea', length: 32000 },
            CaseNumber: { ...RO, length: 30 },
            IsClosed: RO,
            ClosedDate: RO,
            ContactEmail: RO,
            ContactPhone: RO,
            SuppliedEmail: { type: 'email', length: 80 }
        }
    },
    CaseContactRole: {
        fields: {
            CasesId: { required: true, createOnly: true },
            ContactId: { required: true },
            Role: {
                required: true,
                type: 'picklist',
                picklist: ['Technical Contact', 'Business Contact', 'Decision Maker', 'Other']
            }
        }
    },
    Task: {
        fields: {
            Subject: { type: 'combobox', length: 255 },
            Status: {
                required: true,
                type: 'picklist',
                picklist: TASK_STATUSES.map((s) => s.name),
                picklistDefault: 'Not Started'
            },
            Priority: {
                required: true,
                type: 'picklist',
                picklist: ['High', 'Normal', 'Low'],
                picklistDefault: 'Normal'
            },
            IsClosed: RO,
            IsHighPriority: RO,
            Description: { type: 'textarea', length: 32000 }
        }
    },
    AsyncApexJob: { dml: false, fields: {} },
    CronTrigger: { dml: false, fields: {} },
    CronJobDetail: { dml: false, fields: {} },
    Organization: { dml: false, fields: {} },
    Profile: { dml: false, fields: { Name: { required: true, length: 255 } } },
    PermissionSet: {
        fields: { Name: { required: true, length: 80 }, Label: { required: true, length: 80 } }
    },
    PermissionSetAssignment: {
        fields: {
            AssigneeId: { required: true, createOnly: true },
            PermissionSetId: { required: true, createOnly: true }
        }
    },
    // Object Reference, ObjectPermissions / FieldPermissions / SetupEntityAccess: ParentId, SobjectType,
    // Field and SetupEntityId have the properties "Create, Filter" without "Update".
    ObjectPermissions: {
        fields: {
            ParentId: { required: true, createOnly: true },
            SobjectType: { required: true, createOnly: true, length: 40 }
        }
    },
    FieldPermissions: {
        fields: {
            ParentId: { required: true, createOnly: true },
            SobjectType: { required: true, createOnly: true, length: 40 },
            Field: { required: true, createOnly: true, length: 80 }
        }
    },
    SetupEntityAccess: {
        fields: {
            ParentId: { required: true, createOnly: true },
            SetupEntityId: { required: true, createOnly: true }
        }
    },
    // Object Reference, UserRecordAccess: "This object is read only"; supported calls describeSObjects(), query().
    UserRecordAccess: { dml: false, fields: {} }
};
