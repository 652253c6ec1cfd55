import { createElement } from 'lwc';
import TrustpilotSettings from 'c/trustpilotSettings';
import getSettings from '@salesforce/apex/SettingsController.getSettings';
import type { TestWireAdapter } from '@salesforce/sfdx-lwc-jest';
import { find, findAll, flushPromises, resetDom } from '../../../../../tests/jest-mocks/testing';

// An App User (no Trustpilot_Manage_Settings) who reaches the Settings page anyway: the class access
// error of getSettings must not be what they read.

jest.mock('@salesforce/customPermission/Trustpilot_Manage_Settings', () => ({ default: false }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/SettingsController.getSettings',
    () => {
        const { createApexTestWireAdapter } =
            jest.requireActual<typeof import('@salesforce/sfdx-lwc-jest')>('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);

const settingsWire = getSettings as unknown as TestWireAdapter;

describe('c-trustpilot-settings without the Trustpilot_Manage_Settings permission', () => {
    afterEach(() => {
        resetDom();
    });

    it('shows the Super Users message instead of the access error', async () => {
        const element = createElement('c-trustpilot-settings', { is: TrustpilotSettings });
        document.body.appendChild(element);
        expect(find(element, '.no-access').textContent!.trim()).toBe('c.TP_Settings_No_Access');

        settingsWire.error({
            message: "You do not have access to the Apex class named 'SettingsController'."
        });
        await flushPromises();
        expect(find(element, '.no-access').textContent!.trim()).toBe('c.TP_Settings_No_Access');
        expect(findAll(element, '.load-error')).toHaveLength(0);
        expect(findAll(element, 'lightning-spinner')).toHaveLength(0);
        expect(findAll(element, 'lightning-tabset')).toHaveLength(0);
        await expect(element).toBeAccessible();
    });
});
