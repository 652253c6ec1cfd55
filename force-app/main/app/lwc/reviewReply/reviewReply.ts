import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import LightningConfirm from 'lightning/confirm';
import getReview from '@salesforce/apex/ReviewReplyController.getReview';
import postReply from '@salesforce/apex/ReviewReplyController.postReply';
import deleteReply from '@salesforce/apex/ReviewReplyController.deleteReply';
import { confirmAction, errorText } from 'c/tpUtils';

import LOADING from '@salesforce/label/c.TP_Common_Loading';
import LOAD_ERROR from '@salesforce/label/c.TP_Common_Load_Error';
import SAVING from '@salesforce/label/c.TP_Common_Saving';
import REPLY_TITLE from '@salesforce/label/c.TP_Reply_Title';
import COMMENT_TITLE from '@salesforce/label/c.TP_Reply_Comment_Title';
import CURRENT_REPLY from '@salesforce/label/c.TP_Reply_Current';
import CURRENT_COMMENT from '@salesforce/label/c.TP_Reply_Current_Comment';
import REPLIED_ON from '@salesforce/label/c.TP_Reply_Replied_On';
import REPLY_FIELD from '@salesforce/label/c.TP_Reply_Field_Label';
import COMMENT_FIELD from '@salesforce/label/c.TP_Reply_Comment_Field_Label';
import POST from '@salesforce/label/c.TP_Reply_Post';
import REPLACE from '@salesforce/label/c.TP_Reply_Replace';
import EDIT from '@salesforce/label/c.TP_Reply_Edit';
import DELETE from '@salesforce/label/c.TP_Reply_Delete';
import ADD_COMMENT from '@salesforce/label/c.TP_Reply_Add_Comment';
import DELETE_CONFIRM from '@salesforce/label/c.TP_Reply_Delete_Confirm';
import POSTED from '@salesforce/label/c.TP_Reply_Posted';
import COMMENT_POSTED from '@salesforce/label/c.TP_Reply_Comment_Posted';
import DELETED from '@salesforce/label/c.TP_Reply_Deleted';
import REQUIRED from '@salesforce/label/c.TP_Reply_Required';
import POST_FAILED from '@salesforce/label/c.TP_Reply_Post_Failed';
import DELETE_FAILED from '@salesforce/label/c.TP_Reply_Delete_Failed';
import PRODUCT_NOTE from '@salesforce/label/c.TP_Reply_Product_Note';
import NOT_FOUND from '@salesforce/label/c.TP_Reply_Not_Found';

/** ReviewReplyController.ReviewDto. */
export interface ReviewReplyData {
    id: string;
    type: 'Service' | 'Product';
    title: string | null;
    replyText: string | null;
    replyDate: string | null;
    replyStatus: string | null;
    /** Text kept from a reply Trustpilot refused (not published); prefills the editor. */
    draftText: string | null;
}

/** ReviewReplyController.ReplyOutcomeDto: a refusal is an answer, not an exception, so the draft is kept. */
export interface ReplyOutcome {
    success: boolean;
    message: string | null;
    review: ReviewReplyData;
}

interface WireResult<T> {
    data?: T | null;
    error?: unknown;
}

interface Validatable extends HTMLElement {
    setCustomValidity(message: string): void;
    reportValidity(): boolean;
    focus(): void;
}

/**
 * Bottom of the Review record page: post, replace or delete the reply to a service review, or add a
 * comment to a product review. The draft is kept when Trustpilot refuses it.
 */
export default class ReviewReply extends LightningElement {
    @api recordId: string | undefined;

    review: ReviewReplyData | undefined;
    loadError: unknown;
    loaded = false;
    notFound = false;
    draft = '';
    busy = false;
    actionError: string | undefined;

    private wiredReview: WireResult<ReviewReplyData> | undefined;

    labels = {
        loading: LOADING,
        saving: SAVING,
        edit: EDIT,
        delete: DELETE,
        productNote: PRODUCT_NOTE,
        notFound: NOT_FOUND,
        repliedOn: REPLIED_ON
    };

    @wire(getReview, { reviewId: '$recordId' })
    wiredGetReview(result: WireResult<ReviewReplyData>): void {
        this.wiredReview = result;
        if (result.data) {
            this.review = result.data;
            if (this.draft.length === 0 && result.data.draftText) {
                this.draft = result.data.draftText;
            }
            this.loadError = undefined;
            this.notFound = false;
            this.loaded = true;
        } else if (result.error) {
            this.review = undefined;
            this.loadError = result.error;
            this.loaded = true;
        } else if (result.data === null) {
            this.review = undefined;
            this.notFound = true;
            this.loaded = true;
        }
    }

    get isLoading(): boolean {
        return !this.loaded;
    }

    get loadErrorMessage(): string | undefined {
        return this.loadError ? errorText(this.loadError, LOAD_ERROR) : undefined;
    }

    get isService(): boolean {
        return this.review?.type !== 'Product';
    }

    get cardTitle(): string {
        return this.isService ? REPLY_TITLE : COMMENT_TITLE;
    }

    get hasReply(): boolean {
        return typeof this.review?.replyText === 'string' && this.review.replyText.length > 0;
    }

    get currentReplyHeading(): string {
        return this.isService ? CURRENT_REPLY : CURRENT_COMMENT;
    }

    get replyDate(): string | null {
        return this.review?.replyDate ?? null;
    }

    get fieldLabel(): string {
        return this.isService ? REPLY_FIELD : COMMENT_FIELD;
    }

    get postLabel(): string {
        if (!this.isService) {
            return ADD_COMMENT;
        }
        return this.hasReply ? REPLACE : POST;
    }

    /** Service replies can be edited (copied into the draft) and deleted; product comments cannot. */
    get canChangeReply(): boolean {
        return this.isService && this.hasReply;
    }

    get showProductNote(): boolean {
        return !this.isService;
    }

    get postDisabled(): boolean {
        return this.busy;
    }

    handleDraftChange(event: CustomEvent<{ value: string }>): void {
        this.draft = event.detail.value ?? '';
        this.actionError = undefined;
        const field = this.textarea();
        field?.setCustomValidity('');
    }

    handleEdit(): void {
        this.draft = this.review?.replyText ?? '';
        this.textarea()?.focus();
    }

    async handlePost(): Promise<void> {
        const field = this.textarea();
        const text = this.draft.trim();
        if (text.length === 0) {
            field?.setCustomValidity(REQUIRED);
            field?.reportValidity();
            return;
        }
        const wasService = this.isService;
        this.busy = true;
        this.actionError = undefined;
        try {
            const outcome = await postReply<ReplyOutcome>({ reviewId: this.recordId, message: text });
            this.review = outcome.review;
            if (outcome.success) {
                this.draft = '';
                this.toast(wasService ? POSTED : COMMENT_POSTED, 'success');
            } else {
                this.actionError = outcome.message ?? POST_FAILED;
            }
            await this.refresh();
        } catch (error) {
            this.actionError = errorText(error, POST_FAILED);
        } finally {
            this.busy = false;
        }
    }

    async handleDelete(): Promise<void> {
        const confirmed = await confirmAction(LightningConfirm, DELETE_CONFIRM, DELETE);
        if (!confirmed) {
            return;
        }
        this.busy = true;
        this.actionError = undefined;
        try {
            const outcome = await deleteReply<ReplyOutcome>({ reviewId: this.recordId });
            this.review = outcome.review;
            if (outcome.success) {
                this.toast(DELETED, 'success');
            } else {
                this.actionError = outcome.message ?? DELETE_FAILED;
            }
            await this.refresh();
        } catch (error) {
            this.actionError = errorText(error, DELETE_FAILED);
        } finally {
            this.busy = false;
        }
    }

    private textarea(): Validatable | null {
        return this.template?.querySelector<Validatable>('lightning-textarea') ?? null;
    }

    private async refresh(): Promise<void> {
        if (this.wiredReview) {
            await refreshApex(this.wiredReview);
        }
        if (this.recordId) {
            // The record page's own fields (Reply Text, Reply Status) show the change too.
            await notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
        }
    }

    private toast(message: string, variant: 'success' | 'error'): void {
        this.dispatchEvent(new ShowToastEvent({ message, variant }));
    }
}
