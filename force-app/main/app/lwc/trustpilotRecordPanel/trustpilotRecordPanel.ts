import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import LightningConfirm from 'lightning/confirm';
import getPanel from '@salesforce/apex/RecordPanelController.getPanel';
import eraseContactData from '@salesforce/apex/RecordPanelController.eraseContactData';
import { confirmAction, errorText, formatLabel } from 'c/tpUtils';

import TITLE from '@salesforce/label/c.TP_Panel_Title';
import LOADING from '@salesforce/label/c.TP_Common_Loading';
import LOAD_ERROR from '@salesforce/label/c.TP_Common_Load_Error';
import INVITATIONS from '@salesforce/label/c.TP_Panel_Invitations';
import REVIEWS from '@salesforce/label/c.TP_Panel_Reviews';
import NO_INVITATIONS from '@salesforce/label/c.TP_Panel_No_Invitations';
import NO_REVIEWS from '@salesforce/label/c.TP_Panel_No_Reviews';
import ERASE from '@salesforce/label/c.TP_Panel_Erase';
import ERASE_CONFIRM from '@salesforce/label/c.TP_Panel_Erase_Confirm';
import ERASED from '@salesforce/label/c.TP_Panel_Erased';
import ERASE_FAILED from '@salesforce/label/c.TP_Panel_Erase_Failed';
import ERASE_HELP from '@salesforce/label/c.TP_Panel_Erase_Help';
import UNTITLED from '@salesforce/label/c.TP_Panel_Untitled_Review';
import PRODUCT_REVIEW from '@salesforce/label/c.TP_Panel_Product_Review';

/** RecordPanelController.InvitationDto. */
export interface PanelInvitation {
    id: string;
    name: string;
    status: string;
    statusReason: string | null;
    recipientName: string | null;
    delivery: string | null;
    createdDate: string;
    sentDate: string | null;
}

/** RecordPanelController.ReviewDto. */
export interface PanelReview {
    id: string;
    title: string | null;
    stars: number | null;
    type: string;
    consumerName: string | null;
    createdAt: string | null;
    replyStatus: string | null;
}

/** RecordPanelController.PanelDto. */
export interface PanelData {
    objectType: string;
    invitations: PanelInvitation[];
    reviews: PanelReview[];
    canErase: boolean;
}

/** RecordPanelController.ErasureDto. */
export interface ErasureOutcome {
    emailCount: number;
    businessUnitCount: number;
}

interface WireResult<T> {
    data?: T;
    error?: unknown;
}

const STATUS_CLASS: Record<string, string> = {
    Sent: 'slds-badge slds-theme_success',
    'Link created': 'slds-badge slds-theme_success',
    Skipped: 'slds-badge slds-theme_warning',
    Failed: 'slds-badge slds-theme_error'
};

/** The non-empty parts, separated by a middle dot. */
function joinParts(...parts: (string | null | undefined)[]): string {
    return parts.filter((part) => typeof part === 'string' && part.length > 0).join(' · ');
}

/**
 * Trustpilot panel on Opportunity, Order, Case and Contact record pages (desktop and mobile): that
 * record's invitations and reviews; on a Contact, the GDPR erase action for Super Users.
 */
export default class TrustpilotRecordPanel extends NavigationMixin(LightningElement) {
    @api recordId: string | undefined;
    @api objectApiName: string | undefined;

    panel: PanelData | undefined;
    loadError: unknown;
    loaded = false;
    erasing = false;
    eraseError: string | undefined;
    private wiredPanel: WireResult<PanelData> | undefined;

    labels = {
        title: TITLE,
        loading: LOADING,
        invitations: INVITATIONS,
        reviews: REVIEWS,
        noInvitations: NO_INVITATIONS,
        noReviews: NO_REVIEWS,
        erase: ERASE,
        eraseHelp: ERASE_HELP
    };

    @wire(getPanel, { recordId: '$recordId' })
    wiredGetPanel(result: WireResult<PanelData>): void {
        this.wiredPanel = result;
        if (result.data) {
            this.panel = result.data;
            this.loadError = undefined;
            this.loaded = true;
        } else if (result.error) {
            this.loadError = result.error;
            this.loaded = true;
        }
    }

    get isLoading(): boolean {
        return !this.loaded;
    }

    get loadErrorMessage(): string | undefined {
        return this.loadError ? errorText(this.loadError, LOAD_ERROR) : undefined;
    }

    get hasPanel(): boolean {
        return this.panel !== undefined && !this.loadError;
    }

    get invitations(): (PanelInvitation & { badgeClass: string; meta: string })[] {
        return (this.panel?.invitations ?? []).map((inv) => ({
            ...inv,
            badgeClass: STATUS_CLASS[inv.status] ?? 'slds-badge',
            meta: joinParts(inv.recipientName, inv.delivery)
        }));
    }

    get reviews(): (PanelReview & { displayTitle: string; isProduct: boolean; meta: string })[] {
        return (this.panel?.reviews ?? []).map((review) => ({
            ...review,
            displayTitle: review.title || UNTITLED,
            isProduct: review.type === 'Product',
            meta: joinParts(review.consumerName, review.replyStatus)
        }));
    }

    get hasInvitations(): boolean {
        return this.invitations.length > 0;
    }

    get hasReviews(): boolean {
        return this.reviews.length > 0;
    }

    get invitationsHeading(): string {
        return `${INVITATIONS} (${this.invitations.length})`;
    }

    get reviewsHeading(): string {
        return `${REVIEWS} (${this.reviews.length})`;
    }

    get productReviewLabel(): string {
        return PRODUCT_REVIEW;
    }

    get canErase(): boolean {
        return this.panel?.canErase === true;
    }

    handleOpen(event: Event): void {
        event.preventDefault();
        const target = event.currentTarget as HTMLElement;
        this[NavigationMixin.Navigate]({
            type: 'standard__recordPage',
            attributes: {
                recordId: target.dataset.id,
                objectApiName: target.dataset.object,
                actionName: 'view'
            }
        });
    }

    async handleErase(): Promise<void> {
        if (!(await confirmAction(LightningConfirm, ERASE_CONFIRM, ERASE, 'error'))) {
            return;
        }
        this.erasing = true;
        this.eraseError = undefined;
        try {
            const outcome = await eraseContactData<ErasureOutcome>({ contactId: this.recordId });
            this.dispatchEvent(
                new ShowToastEvent({
                    message: formatLabel(ERASED, outcome.emailCount, outcome.businessUnitCount),
                    variant: 'success'
                })
            );
            if (this.wiredPanel) {
                await refreshApex(this.wiredPanel);
            }
        } catch (error) {
            this.eraseError = errorText(error, ERASE_FAILED);
        } finally {
            this.erasing = false;
        }
    }
}
