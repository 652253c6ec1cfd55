import { LightningElement, api, wire } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import saveRule from '@salesforce/apex/SettingsController.saveRule';
import getInvitationTemplates from '@salesforce/apex/SettingsController.getInvitationTemplates';
import { errorText } from 'c/tpUtils';

import ENABLE from '@salesforce/label/c.TP_Rule_Enable';
import BUSINESS_UNIT from '@salesforce/label/c.TP_Common_Business_Unit';
import DEFAULT_UNIT from '@salesforce/label/c.TP_Rule_Default_Business_Unit';
import WHEN_OPPORTUNITY from '@salesforce/label/c.TP_Rule_When_Opportunity';
import WHEN_ORDER from '@salesforce/label/c.TP_Rule_When_Order';
import WHEN_CASE from '@salesforce/label/c.TP_Rule_When_Case';
import TYPE from '@salesforce/label/c.TP_Rule_Type';
import TYPE_SERVICE from '@salesforce/label/c.TP_Rule_Type_Service';
import TYPE_SERVICE_PRODUCT from '@salesforce/label/c.TP_Rule_Type_Service_Product';
import RECIPIENT from '@salesforce/label/c.TP_Rule_Recipient';
import R_PRIMARY from '@salesforce/label/c.TP_Rule_Recipient_Primary_Contact_Role';
import R_ROLE from '@salesforce/label/c.TP_Rule_Recipient_Contact_Role';
import R_BILL_TO from '@salesforce/label/c.TP_Rule_Recipient_Bill_To';
import R_SHIP_TO from '@salesforce/label/c.TP_Rule_Recipient_Ship_To';
import R_CASE_CONTACT from '@salesforce/label/c.TP_Rule_Recipient_Case_Contact';
import R_CUSTOM_FIELD from '@salesforce/label/c.TP_Rule_Recipient_Custom_Field';
import ROLE from '@salesforce/label/c.TP_Rule_Role';
import RECIPIENT_FIELD from '@salesforce/label/c.TP_Rule_Recipient_Field';
import DELAY from '@salesforce/label/c.TP_Rule_Delay_Days';
import DELAY_HELP from '@salesforce/label/c.TP_Rule_Delay_Help';
import DELIVERY from '@salesforce/label/c.TP_Rule_Delivery';
import D_EMAIL from '@salesforce/label/c.TP_Rule_Delivery_Email';
import D_LINK from '@salesforce/label/c.TP_Rule_Delivery_Link';
import TEMPLATE from '@salesforce/label/c.TP_Rule_Template';
import TEMPLATE_DEFAULT from '@salesforce/label/c.TP_Rule_Template_Default';
import TEMPLATES_FAILED from '@salesforce/label/c.TP_Rule_Templates_Failed';
import LOCALE from '@salesforce/label/c.TP_Rule_Locale';
import LOCALE_HELP from '@salesforce/label/c.TP_Rule_Locale_Help';
import PRE_TAG from '@salesforce/label/c.TP_Rule_Pre_Tag_Fields';
import AVAILABLE from '@salesforce/label/c.TP_Rule_Available_Fields';
import SELECTED from '@salesforce/label/c.TP_Rule_Selected_Fields';
import NEEDS_KEYS from '@salesforce/label/c.TP_Rule_Needs_Keys';
import SAVE from '@salesforce/label/c.TP_Common_Save_Changes';
import SAVED from '@salesforce/label/c.TP_Rule_Saved';
import SAVE_FAILED from '@salesforce/label/c.TP_Common_Save_Failed';
import REQUIRED from '@salesforce/label/c.TP_Common_Required';
import LOADING from '@salesforce/label/c.TP_Common_Loading';
import PICKLIST_FAILED from '@salesforce/label/c.TP_Rule_Picklist_Failed';
import FAIR_NOTE from '@salesforce/label/c.TP_Rule_Fair_Note';

export type RuleObject = 'Opportunity' | 'Order' | 'Case';

/** SettingsController.RuleDto. */
export interface InvitationRule {
    id: string | null;
    objectName: RuleObject;
    enabled: boolean;
    businessUnitId: string | null;
    triggerValue: string | null;
    invitationType: string;
    recipientOption: string;
    recipientField: string | null;
    delayDays: number;
    delivery: string;
    templateId: string | null;
    locale: string | null;
    preTagFields: string[];
}

export interface BusinessUnitOption {
    id: string;
    name: string;
    isDefault: boolean;
}

interface Option {
    label: string;
    value: string;
}

interface FieldInfo {
    apiName: string;
    label: string;
    dataType: string;
    referenceToInfos?: { apiName: string }[];
}

interface ObjectInfoData {
    apiName: string;
    defaultRecordTypeId: string;
    fields: Record<string, FieldInfo>;
}

interface WireResult<T> {
    data?: T;
    error?: unknown;
}

interface TemplateDto {
    id: string;
    name: string;
    locale: string | null;
    isDefault: boolean;
}

interface Validatable extends HTMLElement {
    reportValidity(): boolean;
}

const TRIGGER_FIELD: Record<RuleObject, string> = {
    Opportunity: 'StageName',
    Order: 'Status',
    Case: 'Status'
};

const RECIPIENTS: Record<RuleObject, Option[]> = {
    Opportunity: [
        { label: R_PRIMARY, value: 'PrimaryContactRole' },
        { label: R_ROLE, value: 'ContactRole' }
    ],
    Order: [
        { label: R_BILL_TO, value: 'BillToContact' },
        { label: R_SHIP_TO, value: 'ShipToContact' }
    ],
    Case: [
        { label: R_CASE_CONTACT, value: 'CaseContact' },
        { label: R_CUSTOM_FIELD, value: 'CustomField' }
    ]
};

/** Field types that make a readable link tag. */
const TAGGABLE_TYPES = new Set([
    'String',
    'Picklist',
    'Email',
    'Phone',
    'Url',
    'Boolean',
    'Double',
    'Int',
    'Currency',
    'Percent',
    'Date',
    'Reference'
]);

export const MAX_DELAY_DAYS = 365;

/** A fresh rule for an object that has none yet (matches the Invitation_Rule__c field defaults). */
export function defaultRule(objectName: RuleObject): InvitationRule {
    return {
        id: null,
        objectName,
        enabled: false,
        businessUnitId: null,
        triggerValue: null,
        invitationType: 'Service',
        recipientOption: RECIPIENTS[objectName][0].value,
        recipientField: null,
        delayDays: 0,
        delivery: 'Email invitation',
        templateId: null,
        locale: null,
        preTagFields: []
    };
}

/**
 * One "Invitations from opportunities / orders / cases" section of Settings: when the record enters a
 * stage or status (read from the org's own picklist through UI API, custom values included), invite its
 * contact by Trustpilot email or create a Business Generated Link.
 */
export default class TpInvitationRule extends LightningElement {
    @api objectApiName: RuleObject = 'Opportunity';
    @api businessUnits: BusinessUnitOption[] = [];
    @api hasBglKeys = false;

    @api
    get rule(): InvitationRule | null {
        return this.draft;
    }
    set rule(value: InvitationRule | null) {
        if (value) {
            this.draft = { ...value, preTagFields: [...(value.preTagFields ?? [])] };
        }
        // null = no rule saved yet: keep what is being edited (connectedCallback starts a default one)
    }

    draft: InvitationRule | null = null;
    saving = false;
    saveError: string | undefined;
    objectInfo: ObjectInfoData | undefined;
    roleRecordTypeId: string | undefined;
    triggerOptions: Option[] = [];
    roleOptions: Option[] = [];
    picklistError: string | undefined;
    templates: TemplateDto[] = [];
    templatesError: string | undefined;

    labels = {
        enable: ENABLE,
        businessUnit: BUSINESS_UNIT,
        type: TYPE,
        recipient: RECIPIENT,
        role: ROLE,
        recipientField: RECIPIENT_FIELD,
        delay: DELAY,
        delayHelp: DELAY_HELP,
        delivery: DELIVERY,
        template: TEMPLATE,
        locale: LOCALE,
        localeHelp: LOCALE_HELP,
        preTag: PRE_TAG,
        available: AVAILABLE,
        selected: SELECTED,
        needsKeys: NEEDS_KEYS,
        save: SAVE,
        loading: LOADING,
        fairNote: FAIR_NOTE
    };

    readonly maxDelayDays = MAX_DELAY_DAYS;

    @wire(getObjectInfo, { objectApiName: '$objectApiName' })
    wiredObjectInfo(result: WireResult<ObjectInfoData>): void {
        if (result.data && result.data.apiName === this.objectApiName) {
            this.objectInfo = result.data;
        } else if (result.error) {
            this.picklistError = errorText(result.error, PICKLIST_FAILED);
        }
    }

    @wire(getPicklistValues, { recordTypeId: '$recordTypeId', fieldApiName: '$triggerFieldApiName' })
    wiredTriggerValues(result: WireResult<{ values: Option[] }>): void {
        if (result.data) {
            this.triggerOptions = result.data.values.map((v) => ({ label: v.label, value: v.value }));
        } else if (result.error) {
            this.picklistError = errorText(result.error, PICKLIST_FAILED);
        }
    }

    /** Opportunity contact roles: the org's OpportunityContactRole.Role values. */
    @wire(getObjectInfo, { objectApiName: '$roleObjectApiName' })
    wiredRoleObjectInfo(result: WireResult<ObjectInfoData>): void {
        if (result.data?.apiName === 'OpportunityContactRole') {
            this.roleRecordTypeId = result.data.defaultRecordTypeId;
        }
    }

    @wire(getPicklistValues, { recordTypeId: '$roleRecordTypeId', fieldApiName: '$roleFieldApiName' })
    wiredRoleValues(result: WireResult<{ values: Option[] }>): void {
        if (result.data) {
            this.roleOptions = result.data.values.map((v) => ({ label: v.label, value: v.value }));
        }
    }

    @wire(getInvitationTemplates, { businessUnitId: '$templateBusinessUnitId' })
    wiredTemplates(result: WireResult<TemplateDto[]>): void {
        if (result.data) {
            this.templates = result.data;
            this.templatesError = undefined;
        } else if (result.error) {
            this.templates = [];
            this.templatesError = errorText(result.error, TEMPLATES_FAILED);
        }
    }

    connectedCallback(): void {
        if (!this.draft) {
            this.draft = defaultRule(this.objectApiName);
        }
    }

    get recordTypeId(): string | undefined {
        return this.objectInfo?.defaultRecordTypeId;
    }

    get triggerFieldApiName(): string {
        return `${this.objectApiName}.${TRIGGER_FIELD[this.objectApiName]}`;
    }

    get roleObjectApiName(): string | undefined {
        return this.objectApiName === 'Opportunity' ? 'OpportunityContactRole' : undefined;
    }

    get roleFieldApiName(): string | undefined {
        return this.objectApiName === 'Opportunity' ? 'OpportunityContactRole.Role' : undefined;
    }

    /** Templates are per business unit: the rule's own, else the default one. */
    get templateBusinessUnitId(): string | undefined {
        if (!this.isEmail) {
            return undefined;
        }
        const chosen = this.draft?.businessUnitId;
        return chosen ?? this.businessUnits.find((bu) => bu.isDefault)?.id ?? this.businessUnits[0]?.id;
    }

    get isReady(): boolean {
        return this.draft !== null;
    }

    get triggerLabel(): string {
        if (this.objectApiName === 'Order') {
            return WHEN_ORDER;
        }
        return this.objectApiName === 'Case' ? WHEN_CASE : WHEN_OPPORTUNITY;
    }

    get businessUnitOptions(): Option[] {
        return [
            { label: DEFAULT_UNIT, value: '' },
            ...this.businessUnits.map((bu) => ({ label: bu.name, value: bu.id }))
        ];
    }

    get businessUnitValue(): string {
        return this.draft?.businessUnitId ?? '';
    }

    get typeOptions(): Option[] {
        return [
            { label: TYPE_SERVICE, value: 'Service' },
            { label: TYPE_SERVICE_PRODUCT, value: 'Service and product' }
        ];
    }

    get recipientOptions(): Option[] {
        return RECIPIENTS[this.objectApiName];
    }

    get needsRole(): boolean {
        return this.draft?.recipientOption === 'ContactRole';
    }

    get needsRecipientField(): boolean {
        return this.draft?.recipientOption === 'CustomField';
    }

    /** Case fields that can name the recipient: Contact lookups and email fields. */
    get recipientFieldOptions(): Option[] {
        return this.fieldsWhere(
            (f) =>
                f.dataType === 'Email' ||
                (f.dataType === 'Reference' &&
                    (f.referenceToInfos ?? []).some((r) => r.apiName === 'Contact'))
        );
    }

    get deliveryOptions(): Option[] {
        return [
            { label: D_EMAIL, value: 'Email invitation' },
            { label: D_LINK, value: 'Business Generated Link' }
        ];
    }

    get isEmail(): boolean {
        return this.draft?.delivery !== 'Business Generated Link';
    }

    get isLink(): boolean {
        return !this.isEmail;
    }

    get showNeedsKeys(): boolean {
        return this.isLink && !this.hasBglKeys;
    }

    get templateOptions(): Option[] {
        return [
            { label: TEMPLATE_DEFAULT, value: '' },
            ...this.templates.map((t) => ({
                label: t.locale ? `${t.name} (${t.locale})` : t.name,
                value: t.id
            }))
        ];
    }

    get templateValue(): string {
        return this.draft?.templateId ?? '';
    }

    get tagFieldOptions(): Option[] {
        return this.fieldsWhere((f) => TAGGABLE_TYPES.has(f.dataType));
    }

    get fieldsLoading(): boolean {
        return this.objectInfo === undefined && this.picklistError === undefined;
    }

    private fieldsWhere(predicate: (field: FieldInfo) => boolean): Option[] {
        const fields = Object.values(this.objectInfo?.fields ?? {});
        return fields
            .filter(predicate)
            .map((f) => ({ label: f.label, value: f.apiName }))
            .sort((a, b) => a.label.localeCompare(b.label));
    }

    private update(changes: Partial<InvitationRule>): void {
        if (this.draft) {
            this.draft = { ...this.draft, ...changes };
            this.saveError = undefined;
        }
    }

    handleEnabledChange(event: CustomEvent<{ checked: boolean }>): void {
        this.update({ enabled: event.detail.checked });
    }

    handleBusinessUnitChange(event: CustomEvent<{ value: string }>): void {
        this.update({ businessUnitId: event.detail.value || null, templateId: null });
    }

    handleTriggerChange(event: CustomEvent<{ value: string }>): void {
        this.update({ triggerValue: event.detail.value });
    }

    handleTypeChange(event: CustomEvent<{ value: string }>): void {
        this.update({ invitationType: event.detail.value });
    }

    handleRecipientChange(event: CustomEvent<{ value: string }>): void {
        this.update({ recipientOption: event.detail.value, recipientField: null });
    }

    handleRecipientFieldChange(event: CustomEvent<{ value: string }>): void {
        this.update({ recipientField: event.detail.value });
    }

    handleDelayChange(event: CustomEvent<{ value: string }>): void {
        const days = Number.parseInt(event.detail.value, 10);
        this.update({ delayDays: Number.isNaN(days) ? 0 : days });
    }

    handleDeliveryChange(event: CustomEvent<{ value: string }>): void {
        this.update({ delivery: event.detail.value });
    }

    handleTemplateChange(event: CustomEvent<{ value: string }>): void {
        this.update({ templateId: event.detail.value || null });
    }

    handleLocaleChange(event: CustomEvent<{ value: string }>): void {
        this.update({ locale: event.detail.value ? event.detail.value.trim() : null });
    }

    handleTagFieldsChange(event: CustomEvent<{ value: string[] }>): void {
        this.update({ preTagFields: [...event.detail.value] });
    }

    async handleSave(): Promise<void> {
        if (!this.draft || !this.validate()) {
            return;
        }
        this.saving = true;
        this.saveError = undefined;
        try {
            const saved = await saveRule<InvitationRule>({ ruleJson: JSON.stringify(this.draft) });
            this.draft = { ...saved, preTagFields: [...(saved.preTagFields ?? [])] };
            this.dispatchEvent(new ShowToastEvent({ message: SAVED, variant: 'success' }));
            this.dispatchEvent(new CustomEvent('saved', { detail: { rule: saved } }));
        } catch (error) {
            this.saveError = errorText(error, SAVE_FAILED);
        } finally {
            this.saving = false;
        }
    }

    /** Every input reports its own validity; an enabled rule also needs its trigger value. */
    private validate(): boolean {
        const inputs = Array.from(
            this.template?.querySelectorAll<Validatable>('lightning-combobox, lightning-input') ?? []
        );
        const allValid = inputs.reduce((valid, input) => input.reportValidity() && valid, true);
        if (!allValid) {
            this.saveError = REQUIRED;
        }
        return allValid;
    }
}
