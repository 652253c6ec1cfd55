import { createElement } from 'lwc';
import TpInvitationRule, { defaultRule } from 'c/tpInvitationRule';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import saveRule from '@salesforce/apex/SettingsController.saveRule';
import getInvitationTemplates from '@salesforce/apex/SettingsController.getInvitationTemplates';
import type { TestWireAdapter } from '@salesforce/sfdx-lwc-jest';
import {
    changeValue,
    find,
    findAlert,
    findAll,
    flushPromises,
    resetDom,
    type MockFn
} from '../../../../../tests/jest-mocks/testing';
import OPPORTUNITY_INFO from './data/objectInfoOpportunity.json';
import CASE_INFO from './data/objectInfoCase.json';
import STAGES from './data/picklistStageName.json';
import CASE_STATUSES from './data/picklistCaseStatus.json';
import TEMPLATES from './data/templates.json';
import RULE from './data/ruleOpportunity.json';
import UNITS from './data/businessUnits.json';

jest.mock('@salesforce/apex/SettingsController.saveRule', () => ({ default: jest.fn() }), { virtual: true });
jest.mock(
    '@salesforce/apex/SettingsController.getInvitationTemplates',
    () => {
        const { createApexTestWireAdapter } =
            jest.requireActual<typeof import('@salesforce/sfdx-lwc-jest')>('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);

const objectInfoWire = getObjectInfo as unknown as TestWireAdapter;
const picklistWire = getPicklistValues as unknown as TestWireAdapter;
const templatesWire = getInvitationTemplates as unknown as TestWireAdapter;
const saveRuleMock = saveRule as unknown as MockFn;

interface Option {
    label: string;
    value: string;
}
type OptionsHolder = HTMLElement & { options: Option[]; value: unknown; required?: boolean };

async function render(props: Record<string, unknown>): Promise<HTMLElement> {
    const element = createElement('c-tp-invitation-rule', { is: TpInvitationRule });
    Object.assign(element, { businessUnits: UNITS, hasBglKeys: true, ...props });
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

/** Makes every input of the form report itself valid (the base component stubs answer undefined). */
function allValid(element: HTMLElement, valid = true): void {
    findAll(element, 'lightning-combobox, lightning-input').forEach((input) => {
        Object.assign(input, { reportValidity: jest.fn(() => valid) });
    });
}

function options(element: HTMLElement, selector: string): string[] {
    return find<OptionsHolder>(element, selector).options.map((o) => o.value);
}

describe('c-tp-invitation-rule', () => {
    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
    });

    it('starts from a disabled default rule when the object has none', async () => {
        const element = await render({ objectApiName: 'Order', rule: null });
        expect((find(element, '.enabled') as unknown as { checked: boolean }).checked).toBe(false);
        expect(options(element, '.recipient')).toEqual(['BillToContact', 'ShipToContact']);
        expect(find<OptionsHolder>(element, '.recipient').value).toBe('BillToContact');
        expect((find(element, '.trigger') as unknown as { label: string }).label).toBe(
            'c.TP_Rule_When_Order'
        );
        expect(defaultRule('Case').recipientOption).toBe('CaseContact');
        await expect(element).toBeAccessible();
    });

    it('fills "When an opportunity is" from the org picklist, custom values included', async () => {
        const element = await render({ objectApiName: 'Opportunity', rule: RULE });
        objectInfoWire.emit(OPPORTUNITY_INFO);
        await flushPromises();
        expect(picklistWire.getLastConfig()).toEqual({
            recordTypeId: '012000000000000AAA',
            fieldApiName: 'Opportunity.StageName'
        });
        picklistWire.emit(STAGES);
        await flushPromises();

        expect(options(element, '.trigger')).toEqual(['Prospecting', 'Closed Won', 'Delivered']);
        expect(find<OptionsHolder>(element, '.trigger').value).toBe('Closed Won');
        expect(find<OptionsHolder>(element, '.trigger').required).toBe(true);
        expect(find<OptionsHolder>(element, '.business-unit').options.map((o) => o.label)).toEqual([
            'c.TP_Rule_Default_Business_Unit',
            'Acme UK',
            'Acme DE'
        ]);
        await expect(element).toBeAccessible();
    });

    it('reads the Case status picklist for cases', async () => {
        const element = await render({ objectApiName: 'Case', rule: null });
        objectInfoWire.emit(CASE_INFO);
        await flushPromises();
        expect(picklistWire.getLastConfig()).toEqual({
            recordTypeId: '012000000000000AAA',
            fieldApiName: 'Case.Status'
        });
        picklistWire.emit(CASE_STATUSES);
        await flushPromises();
        expect(options(element, '.trigger')).toContain('Resolved by phone');
    });

    it('asks for the contact role when the recipient is a chosen role', async () => {
        const element = await render({ objectApiName: 'Opportunity', rule: RULE });
        expect(findAll(element, '.role')).toHaveLength(0);
        changeValue(find(element, '.recipient'), 'ContactRole');
        await flushPromises();
        objectInfoWire.emit(OPPORTUNITY_INFO);
        objectInfoWire.emit({
            apiName: 'OpportunityContactRole',
            defaultRecordTypeId: '012000000000000AAA',
            fields: {}
        });
        await flushPromises();
        expect(picklistWire.getLastConfig()).toEqual({
            recordTypeId: '012000000000000AAA',
            fieldApiName: 'OpportunityContactRole.Role'
        });
        picklistWire.emit({ values: [{ label: 'Decision Maker', value: 'Decision Maker' }] });
        await flushPromises();
        expect(options(element, '.role')).toEqual(['Decision Maker']);
        changeValue(find(element, '.role'), 'Decision Maker');
        await flushPromises();

        saveRuleMock.mockImplementation((params: { ruleJson: string }) =>
            Promise.resolve(JSON.parse(params.ruleJson))
        );
        allValid(element);
        find(element, '.save').click();
        await flushPromises();
        const sent = JSON.parse((saveRuleMock.mock.calls[0][0] as { ruleJson: string }).ruleJson);
        expect(sent).toEqual(
            expect.objectContaining({ recipientOption: 'ContactRole', recipientField: 'Decision Maker' })
        );
    });

    it('offers Contact lookups and email fields of the case as custom recipient fields', async () => {
        const element = await render({ objectApiName: 'Case', rule: null });
        objectInfoWire.emit(CASE_INFO);
        await flushPromises();
        changeValue(find(element, '.recipient'), 'CustomField');
        await flushPromises();
        expect(options(element, '.recipient-field')).toEqual(['ContactId', 'Reviewer__c', 'SuppliedEmail']);
    });

    it('loads the Trustpilot templates of the default business unit for email invitations', async () => {
        const element = await render({ objectApiName: 'Opportunity', rule: RULE });
        expect(templatesWire.getLastConfig()).toEqual({ businessUnitId: 'a0B000000000001AAA' });
        templatesWire.emit(TEMPLATES);
        await flushPromises();
        expect(find<OptionsHolder>(element, '.template').options).toEqual([
            { label: 'c.TP_Rule_Template_Default', value: '' },
            { label: 'Default service invitation (en-US)', value: 'tmpl-1' },
            { label: 'Produktbewertung', value: 'tmpl-2' }
        ]);
        changeValue(find(element, '.business-unit'), 'a0B000000000002AAA');
        await flushPromises();
        expect(templatesWire.getLastConfig()).toEqual({ businessUnitId: 'a0B000000000002AAA' });
        expect(find<OptionsHolder>(element, '.template').value).toBe('');
    });

    it('says when the templates cannot be loaded and keeps the account default', async () => {
        const element = await render({ objectApiName: 'Opportunity', rule: RULE });
        templatesWire.error({ message: 'Trustpilot is not connected.' });
        await flushPromises();
        expect(find(element, '.templates-error').textContent).toBe('Trustpilot is not connected.');
        expect(options(element, '.template')).toEqual(['']);
    });

    it('switches to Business Generated Links with a pre-tag field picker', async () => {
        const element = await render({ objectApiName: 'Opportunity', rule: RULE, hasBglKeys: false });
        objectInfoWire.emit(OPPORTUNITY_INFO);
        await flushPromises();
        changeValue(find(element, '.delivery'), 'Business Generated Link');
        await flushPromises();

        expect(findAll(element, '.template')).toHaveLength(0);
        expect(find(element, '.needs-keys').textContent).toBe('c.TP_Rule_Needs_Keys');
        // Long text areas make poor tags; the others are offered, sorted by label.
        expect(options(element, '.tags')).toEqual(['Amount', 'Name', 'Region__c', 'StageName']);
        changeValue(find(element, '.tags'), ['Region__c', 'Amount']);
        await flushPromises();
        await expect(element).toBeAccessible();

        saveRuleMock.mockImplementation((params: { ruleJson: string }) =>
            Promise.resolve(JSON.parse(params.ruleJson))
        );
        allValid(element);
        find(element, '.save').click();
        await flushPromises();
        const sent = JSON.parse((saveRuleMock.mock.calls[0][0] as { ruleJson: string }).ruleJson);
        expect(sent.delivery).toBe('Business Generated Link');
        expect(sent.preTagFields).toEqual(['Region__c', 'Amount']);
    });

    it('saves the changed rule and tells the page', async () => {
        const element = await render({ objectApiName: 'Opportunity', rule: RULE });
        const saved = jest.fn();
        const onToast = jest.fn();
        element.addEventListener('saved', (e) => saved((e as CustomEvent).detail));
        element.addEventListener('lightning__showtoast', (e) => onToast((e as CustomEvent).detail));

        changeValue(find(element, '.enabled'), false);
        changeValue(find(element, '.trigger'), 'Delivered');
        changeValue(find(element, '.type'), 'Service and product');
        changeValue(find(element, '.delay'), '7');
        changeValue(find(element, '.template'), 'tmpl-2');
        changeValue(find(element, '.locale'), ' de-DE ');
        await flushPromises();
        saveRuleMock.mockResolvedValue({ ...RULE, id: 'a0E000000000009AAA' });
        allValid(element);
        find(element, '.save').click();
        await flushPromises();

        const sent = JSON.parse((saveRuleMock.mock.calls[0][0] as { ruleJson: string }).ruleJson);
        expect(sent).toEqual({
            ...RULE,
            enabled: false,
            triggerValue: 'Delivered',
            invitationType: 'Service and product',
            delayDays: 7,
            templateId: 'tmpl-2',
            locale: 'de-DE'
        });
        expect(saved).toHaveBeenCalledWith({ rule: { ...RULE, id: 'a0E000000000009AAA' } });
        expect(onToast).toHaveBeenCalledWith({ message: 'c.TP_Rule_Saved', variant: 'success' });
    });

    it('treats an empty delay as 0 days and clears an empty template and locale', async () => {
        const element = await render({ objectApiName: 'Opportunity', rule: RULE });
        changeValue(find(element, '.delay'), '');
        changeValue(find(element, '.template'), '');
        changeValue(find(element, '.locale'), '');
        await flushPromises();
        saveRuleMock.mockImplementation((params: { ruleJson: string }) =>
            Promise.resolve(JSON.parse(params.ruleJson))
        );
        allValid(element);
        find(element, '.save').click();
        await flushPromises();
        const sent = JSON.parse((saveRuleMock.mock.calls[0][0] as { ruleJson: string }).ruleJson);
        expect(sent).toEqual(expect.objectContaining({ delayDays: 0, templateId: null, locale: null }));
    });

    it('does not save while a field is invalid', async () => {
        const element = await render({ objectApiName: 'Opportunity', rule: { ...RULE, triggerValue: null } });
        allValid(element, false);
        find(element, '.save').click();
        await flushPromises();
        expect(saveRuleMock).not.toHaveBeenCalled();
        expect(findAlert(element, '.save-error').textContent).toBe('c.TP_Common_Required');
    });

    it('shows the server refusal', async () => {
        const element = await render({ objectApiName: 'Opportunity', rule: RULE });
        saveRuleMock.mockRejectedValue({
            body: { message: 'You need the Trustpilot App Super User permission set.' }
        });
        allValid(element);
        find(element, '.save').click();
        await flushPromises();
        expect(findAlert(element, '.save-error').textContent).toBe(
            'You need the Trustpilot App Super User permission set.'
        );
        await expect(element).toBeAccessible();
    });

    it('warns when the picklist cannot be read', async () => {
        const element = await render({ objectApiName: 'Order', rule: null });
        objectInfoWire.error({ message: 'Orders are not enabled in this org.' });
        await flushPromises();
        expect(find(element, '.picklist-error').textContent).toBe('Orders are not enabled in this org.');
        picklistWire.error({ message: 'Status picklist unavailable' });
        await flushPromises();
        expect(find(element, '.picklist-error').textContent).toBe('Status picklist unavailable');
    });

    it('keeps the rule being edited when the page passes "no rule" again', async () => {
        const element = await render({ objectApiName: 'Order', rule: null });
        changeValue(find(element, '.delay'), '4');
        await flushPromises();
        Object.assign(element, { rule: null });
        await flushPromises();
        expect((element as unknown as { rule: { delayDays: number } }).rule.delayDays).toBe(4);
        expect(findAll(element, '.save')).toHaveLength(1);
    });

    it('exposes the edited rule', async () => {
        const element = await render({ objectApiName: 'Opportunity', rule: RULE });
        changeValue(find(element, '.trigger'), 'Prospecting');
        await flushPromises();
        expect((element as unknown as { rule: { triggerValue: string } }).rule.triggerValue).toBe(
            'Prospecting'
        );
    });
});
