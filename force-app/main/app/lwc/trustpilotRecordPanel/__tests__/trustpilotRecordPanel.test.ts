import { createElement } from 'lwc';
import TrustpilotRecordPanel from 'c/trustpilotRecordPanel';
import getPanel from '@salesforce/apex/RecordPanelController.getPanel';
import eraseContactData from '@salesforce/apex/RecordPanelController.eraseContactData';
import { refreshApex } from '@salesforce/apex';
import LightningConfirm from 'lightning/confirm';
import type { TestWireAdapter } from '@salesforce/sfdx-lwc-jest';
import {
    find,
    findAlert,
    findAll,
    flushPromises,
    resetDom,
    type MockFn
} from '../../../../../tests/jest-mocks/testing';
import { navigateCalls, resetNavigation } from '../../../../../tests/jest-mocks/lightning/navigation';
import PANEL_CONTACT from './data/panelContact.json';
import PANEL_EMPTY from './data/panelEmpty.json';

jest.mock(
    '@salesforce/apex/RecordPanelController.getPanel',
    () => {
        const { createApexTestWireAdapter } =
            jest.requireActual<typeof import('@salesforce/sfdx-lwc-jest')>('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/RecordPanelController.eraseContactData', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });
jest.mock('lightning/confirm', () => ({ __esModule: true, default: { open: jest.fn() } }));
jest.mock('lightning/navigation', () =>
    jest.requireActual('../../../../../tests/jest-mocks/lightning/navigation')
);

const panelWire = getPanel as unknown as TestWireAdapter;
const eraseMock = eraseContactData as unknown as MockFn;
const confirmOpen = (LightningConfirm as unknown as { open: MockFn }).open;

function render(objectApiName = 'Contact'): HTMLElement {
    const element = createElement('c-trustpilot-record-panel', { is: TrustpilotRecordPanel });
    Object.assign(element, { recordId: '003000000000001AAA', objectApiName });
    document.body.appendChild(element);
    return element;
}

async function renderWith(data: unknown, objectApiName = 'Contact'): Promise<HTMLElement> {
    const element = render(objectApiName);
    panelWire.emit(data);
    await flushPromises();
    return element;
}

describe('c-trustpilot-record-panel', () => {
    afterEach(() => {
        resetDom();
        resetNavigation();
        jest.clearAllMocks();
    });

    it('shows a spinner while loading, for this record', async () => {
        const element = render();
        expect(findAll(element, 'lightning-spinner')).toHaveLength(1);
        await flushPromises();
        expect(panelWire.getLastConfig()).toEqual({ recordId: '003000000000001AAA' });
        await expect(element).toBeAccessible();
    });

    it('shows the load error', async () => {
        const element = render();
        panelWire.error({ message: 'Insufficient access' });
        await flushPromises();
        expect(findAlert(element, '.load-error').textContent).toBe('Insufficient access');
        await expect(element).toBeAccessible();
    });

    it("lists the record's invitations and reviews", async () => {
        const element = await renderWith(PANEL_CONTACT);
        expect(findAll(element, '.invitation')).toHaveLength(3);
        expect(findAll(element, '.review')).toHaveLength(2);
        expect(findAll(element, '.invitation .slds-badge').map((b) => b.className)).toEqual([
            'slds-badge slds-theme_success',
            'slds-badge slds-theme_warning',
            'slds-badge'
        ]);
        expect(find(element, '.reason').textContent).toBe('Contact opted out of email');
        expect(
            findAll(element, '.invitation span.slds-var-m-right_x-small').map((s) => s.textContent)
        ).toEqual(['Jane Doe · Email invitation', 'Email invitation', 'Jane Doe · Business Generated Link']);
        // A review without a title still gets a readable link.
        expect(findAll(element, '.review a').map((a) => a.textContent)).toEqual([
            'Fast delivery',
            'c.TP_Panel_Untitled_Review'
        ]);
        expect(findAll(element, '.review .slds-badge').map((b) => b.textContent)).toEqual([
            'c.TP_Panel_Product_Review'
        ]);
        await expect(element).toBeAccessible();
    });

    it('opens an invitation or a review', async () => {
        const element = await renderWith(PANEL_CONTACT);
        find(element, '.invitation a').click();
        find(element, '.review a').click();
        expect(navigateCalls()).toEqual([
            {
                type: 'standard__recordPage',
                attributes: {
                    recordId: 'a0D000000000001AAA',
                    objectApiName: 'Invitation__c',
                    actionName: 'view'
                }
            },
            {
                type: 'standard__recordPage',
                attributes: { recordId: 'a0C000000000001AAA', objectApiName: 'Review__c', actionName: 'view' }
            }
        ]);
    });

    it('shows empty states and no erase action outside Contacts', async () => {
        const element = await renderWith(PANEL_EMPTY, 'Opportunity');
        expect(find(element, '.empty-invitations').textContent).toBe('c.TP_Panel_No_Invitations');
        expect(find(element, '.empty-reviews').textContent).toBe('c.TP_Panel_No_Reviews');
        expect(findAll(element, '.erase')).toHaveLength(0);
        await expect(element).toBeAccessible();
    });

    it('erases the contact at Trustpilot after confirmation', async () => {
        const element = await renderWith(PANEL_CONTACT);
        const onToast = jest.fn();
        element.addEventListener('lightning__showtoast', (e) => onToast((e as CustomEvent).detail));
        confirmOpen.mockResolvedValue(true);
        eraseMock.mockResolvedValue({ emailCount: 2, businessUnitCount: 1 });
        find(element, '.erase').click();
        await flushPromises();

        expect(confirmOpen).toHaveBeenCalledWith(
            expect.objectContaining({ message: 'c.TP_Panel_Erase_Confirm', theme: 'error' })
        );
        expect(eraseMock).toHaveBeenCalledWith({ contactId: '003000000000001AAA' });
        expect(onToast).toHaveBeenCalledWith({ message: 'c.TP_Panel_Erased', variant: 'success' });
        expect(refreshApex).toHaveBeenCalled();
    });

    it('does not erase when the confirmation is cancelled', async () => {
        const element = await renderWith(PANEL_CONTACT);
        confirmOpen.mockResolvedValue(false);
        find(element, '.erase').click();
        await flushPromises();
        expect(eraseMock).not.toHaveBeenCalled();
    });

    it('shows why the erasure failed', async () => {
        const element = await renderWith(PANEL_CONTACT);
        confirmOpen.mockResolvedValue(true);
        eraseMock.mockRejectedValue({
            body: { message: 'This contact has no email address to erase at Trustpilot.' }
        });
        find(element, '.erase').click();
        await flushPromises();
        expect(findAlert(element, '.erase-error').textContent).toBe(
            'This contact has no email address to erase at Trustpilot.'
        );
        await expect(element).toBeAccessible();
    });
});
