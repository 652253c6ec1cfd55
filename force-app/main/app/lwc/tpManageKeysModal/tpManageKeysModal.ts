import { api } from 'lwc';
import LightningModal from 'lightning/modal';
import saveBglKeys from '@salesforce/apex/SettingsController.saveBglKeys';
import { errorText, isBase64OfLength } from 'c/tpUtils';

import TITLE from '@salesforce/label/c.TP_Keys_Title';
import INTRO from '@salesforce/label/c.TP_Keys_Intro';
import STORED from '@salesforce/label/c.TP_Keys_Stored';
import ENCRYPTION from '@salesforce/label/c.TP_Keys_Encryption_Key';
import AUTHENTICATION from '@salesforce/label/c.TP_Keys_Authentication_Key';
import INVALID from '@salesforce/label/c.TP_Keys_Invalid';
import SAME from '@salesforce/label/c.TP_Keys_Same';
import CANCEL from '@salesforce/label/c.TP_Common_Cancel';
import SAVE from '@salesforce/label/c.TP_Keys_Save';
import SAVE_FAILED from '@salesforce/label/c.TP_Common_Save_Failed';
import SAVING from '@salesforce/label/c.TP_Common_Saving';

/** Trustpilot's Business Generated Link keys are 256-bit: base64 of 32 bytes. */
export const KEY_BYTES = 32;

interface KeyInput extends HTMLElement {
    name: string;
    value: string;
    setCustomValidity(message: string): void;
    reportValidity(): boolean;
}

/**
 * Settings › Manage keys: enter the Business Generated Link encryption and authentication keys.
 * Write-only: the fields start empty every time, the stored keys are never sent to the browser,
 * and the component forgets what was typed once the modal closes.
 */
export default class TpManageKeysModal extends LightningModal {
    /** Whether keys are already stored (shown as a fact, never as the keys). */
    @api hasKeys = false;

    encryptionKey = '';
    authenticationKey = '';
    saving = false;
    errorMessage: string | undefined;

    labels = {
        title: TITLE,
        intro: INTRO,
        stored: STORED,
        encryption: ENCRYPTION,
        authentication: AUTHENTICATION,
        invalid: INVALID,
        cancel: CANCEL,
        save: SAVE,
        saving: SAVING
    };

    handleKeyChange(event: CustomEvent<{ value: string }>): void {
        const input = event.target as KeyInput;
        const value = (event.detail.value ?? '').trim();
        if (input.name === 'encryptionKey') {
            this.encryptionKey = value;
        } else {
            this.authenticationKey = value;
        }
        input.setCustomValidity('');
        this.errorMessage = undefined;
    }

    handleCancel(): void {
        this.clear();
        this.close('cancel');
    }

    async handleSave(): Promise<void> {
        if (!this.validate()) {
            return;
        }
        this.saving = true;
        this.disableClose = true;
        this.errorMessage = undefined;
        try {
            await saveBglKeys({
                encryptionKey: this.encryptionKey,
                authenticationKey: this.authenticationKey
            });
            this.clear();
            this.disableClose = false;
            this.close('saved');
        } catch (error) {
            this.errorMessage = errorText(error, SAVE_FAILED);
        } finally {
            this.saving = false;
            this.disableClose = false;
        }
    }

    /** Each key must be base64 of exactly 32 bytes, and the two keys must differ. */
    private validate(): boolean {
        const inputs = Array.from(this.template?.querySelectorAll<KeyInput>('lightning-input') ?? []);
        let valid = true;
        for (const input of inputs) {
            const value = input.name === 'encryptionKey' ? this.encryptionKey : this.authenticationKey;
            input.setCustomValidity(isBase64OfLength(value, KEY_BYTES) ? '' : INVALID);
            valid = input.reportValidity() && valid;
        }
        if (valid && this.encryptionKey === this.authenticationKey) {
            this.errorMessage = SAME;
            return false;
        }
        return valid;
    }

    private clear(): void {
        this.encryptionKey = '';
        this.authenticationKey = '';
    }
}
