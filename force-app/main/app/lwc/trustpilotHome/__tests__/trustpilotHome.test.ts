import { createElement } from 'lwc';
import TrustpilotHome from 'c/trustpilotHome';
import getHomeData from '@salesforce/apex/HomeController.getHomeData';
import type { TestWireAdapter } from '@salesforce/sfdx-lwc-jest';
import {
    find,
    findAlert,
    findAll,
    flushPromises,
    resetDom,
    changeValue
} from '../../../../../tests/jest-mocks/testing';
import { navigateCalls, resetNavigation } from '../../../../../tests/jest-mocks/lightning/navigation';
import HOME from './data/getHomeData.json';
import HOME_EMPTY from './data/getHomeDataEmpty.json';
import HOME_NOT_CONNECTED from './data/getHomeDataNotConnected.json';

jest.mock(
    '@salesforce/apex/HomeController.getHomeData',
    () => {
        const { createApexTestWireAdapter } =
            jest.requireActual<typeof import('@salesforce/sfdx-lwc-jest')>('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);

jest.mock('lightning/navigation', () =>
    jest.requireActual('../../../../../tests/jest-mocks/lightning/navigation')
);

const homeWire = getHomeData as unknown as TestWireAdapter;

function render(): HTMLElement {
    const element = createElement('c-trustpilot-home', { is: TrustpilotHome });
    document.body.appendChild(element);
    return element;
}

describe('c-trustpilot-home', () => {
    afterEach(() => {
        resetDom();
        resetNavigation();
        jest.clearAllMocks();
    });

    it('shows a spinner until the data arrives', async () => {
        const element = render();
        expect(findAll(element, 'lightning-spinner')).toHaveLength(1);
        await flushPromises();
        // null (the default unit), never undefined, which would keep the wire from provisioning
        expect(homeWire.getLastConfig()).toEqual({ businessUnitId: null });
        await expect(element).toBeAccessible();
    });

    it('shows the TrustScore, counters and recent rows of the default business unit', async () => {
        const element = render();
        homeWire.emit(HOME);
        await flushPromises();

        expect(find(element, '.trust-score').textContent).toBe('4.3');
        expect(find(element, '.total-reviews').textContent!.trim()).toBe('c.TP_Home_Total_Reviews');
        const values = Object.fromEntries(
            findAll(element, '.kpi-value').map((el) => [el.dataset.key, el.textContent])
        );
        expect(values).toEqual({
            newService: '14',
            newProduct: '6',
            queued: '23',
            delivered: '118',
            awaiting: '5'
        });
        expect(findAll(element, '.service-reviews .review-row')).toHaveLength(2);
        expect(findAll(element, '.product-reviews .review-row')).toHaveLength(1);
        expect(findAll(element, '.invitation-row')).toHaveLength(3);
        // A review without a title still has a readable title (and Reply button title).
        expect(find(element, '.product-reviews .review-row th').textContent).toBe(
            'c.TP_Panel_Untitled_Review'
        );
        // Reply is offered only where a reply is still awaited.
        expect(findAll(element, '.service-reviews .reply')).toHaveLength(1);
        expect(findAll(element, '.product-reviews .reply')).toHaveLength(1);
        // Unknown statuses fall back to the neutral badge.
        const badges = findAll(element, '.invitation-row .slds-badge').map((b) => b.className);
        expect(badges).toEqual([
            'slds-badge slds-theme_success',
            'slds-badge slds-theme_error',
            'slds-badge'
        ]);
        await expect(element).toBeAccessible();
    });

    it('shows a counter the server stopped at its cap as "at least"', async () => {
        const element = render();
        homeWire.emit({ ...HOME, invitationsDelivered: 9000, awaitingReply: 8999 });
        await flushPromises();

        expect(find(element, '.kpi-value[data-key="delivered"]').textContent).toBe('9000+');
        expect(find(element, '.kpi-value[data-key="awaiting"]').textContent).toBe('8999');
    });

    it('links the Trustpilot profile when the link is https', async () => {
        const element = render();
        homeWire.emit(HOME);
        await flushPromises();
        expect(find(element, 'a[target="_blank"]').getAttribute('href')).toBe(
            'https://www.trustpilot.com/review/acme.co.uk'
        );
    });

    it.each(['data:text/html,<b>x</b>', 'http://www.trustpilot.com/review/acme.co.uk'])(
        'offers no profile link for %s',
        async (profileUrl) => {
            const element = render();
            const units = HOME.businessUnits.map((unit, i) => (i === 0 ? { ...unit, profileUrl } : unit));
            homeWire.emit({ ...HOME, businessUnits: units });
            await flushPromises();
            expect(find(element, '.trust-score').textContent).toBe('4.3');
            expect(findAll(element, 'a[target="_blank"]')).toHaveLength(0);
        }
    );

    it('offers the business units and reloads for the chosen one', async () => {
        const element = render();
        homeWire.emit(HOME);
        await flushPromises();

        const combobox = find(element, 'lightning-combobox.business-unit');
        expect((combobox as unknown as { options: unknown[] }).options).toHaveLength(2);
        changeValue(combobox, 'a0B000000000002AAA');
        await flushPromises();
        expect(homeWire.getLastConfig()).toEqual({ businessUnitId: 'a0B000000000002AAA' });
    });

    it('opens the review record page from Reply', async () => {
        const element = render();
        homeWire.emit(HOME);
        await flushPromises();

        find(element, '.service-reviews .reply').click();
        find(element, '.invitation-row a').click();
        expect(navigateCalls()).toEqual([
            {
                type: 'standard__recordPage',
                attributes: { recordId: 'a0C000000000001AAA', objectApiName: 'Review__c', actionName: 'view' }
            },
            {
                type: 'standard__recordPage',
                attributes: {
                    recordId: 'a0D000000000001AAA',
                    objectApiName: 'Invitation__c',
                    actionName: 'view'
                }
            }
        ]);
    });

    it('shows empty states when there are no reviews or invitations yet', async () => {
        const element = render();
        homeWire.emit(HOME_EMPTY);
        await flushPromises();

        expect(findAll(element, '.empty').map((p) => p.textContent)).toEqual([
            'c.TP_Home_No_Service_Reviews',
            'c.TP_Home_No_Product_Reviews',
            'c.TP_Home_No_Invitations'
        ]);
        expect(find(element, '.no-score').textContent).toBe('c.TP_Home_No_Score');
        expect(findAll(element, 'lightning-combobox')).toHaveLength(0);
        await expect(element).toBeAccessible();
    });

    it('asks to connect when Trustpilot is not connected', async () => {
        const element = render();
        homeWire.emit(HOME_NOT_CONNECTED);
        await flushPromises();

        expect(find(element, '.not-connected').textContent!.trim()).toBe('c.TP_Home_Not_Connected');
        expect(findAll(element, '.kpi')).toHaveLength(0);
        await expect(element).toBeAccessible();
    });

    it('shows the server message when loading fails', async () => {
        const element = render();
        homeWire.error({ message: 'Insufficient access to Review' });
        await flushPromises();

        const alert = findAlert(element, '.error');
        expect(alert.getAttribute('role')).toBe('alert');
        expect(alert.textContent).toBe('Insufficient access to Review');
        await expect(element).toBeAccessible();
    });
});
