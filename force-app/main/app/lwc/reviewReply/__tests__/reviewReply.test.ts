import { createElement } from 'lwc';
import ReviewReply from 'c/reviewReply';
import getReview from '@salesforce/apex/ReviewReplyController.getReview';
import postReply from '@salesforce/apex/ReviewReplyController.postReply';
import deleteReply from '@salesforce/apex/ReviewReplyController.deleteReply';
import { refreshApex } from '@salesforce/apex';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import LightningConfirm from 'lightning/confirm';
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
import NO_REPLY from './data/serviceReviewNoReply.json';
import REPLIED from './data/serviceReviewReplied.json';
import PRODUCT from './data/productReview.json';
import WITH_DRAFT from './data/serviceReviewWithDraft.json';
import PRODUCT_COMMENTED from './data/productReviewCommented.json';

jest.mock(
    '@salesforce/apex/ReviewReplyController.getReview',
    () => {
        const { createApexTestWireAdapter } =
            jest.requireActual<typeof import('@salesforce/sfdx-lwc-jest')>('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/ReviewReplyController.postReply', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/ReviewReplyController.deleteReply', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });
jest.mock('lightning/confirm', () => ({ __esModule: true, default: { open: jest.fn() } }));

const reviewWire = getReview as unknown as TestWireAdapter;
const postReplyMock = postReply as unknown as MockFn;
const deleteReplyMock = deleteReply as unknown as MockFn;
const confirmOpen = (LightningConfirm as unknown as { open: MockFn }).open;

interface TextareaStub extends HTMLElement {
    value: string;
    label: string;
    setCustomValidity: MockFn;
    reportValidity: MockFn;
    focus: () => void;
}

function render(): HTMLElement {
    const element = createElement('c-review-reply', { is: ReviewReply });
    Object.assign(element, { recordId: 'a0C000000000001AAA' });
    document.body.appendChild(element);
    return element;
}

async function renderWith(review: unknown): Promise<HTMLElement> {
    const element = render();
    reviewWire.emit(review);
    await flushPromises();
    return element;
}

function textarea(element: HTMLElement): TextareaStub {
    const field = find<TextareaStub>(element, 'lightning-textarea');
    field.setCustomValidity = jest.fn();
    field.reportValidity = jest.fn();
    return field;
}

function toasts(element: HTMLElement): MockFn {
    const handler = jest.fn();
    element.addEventListener('lightning__showtoast', (event) => handler((event as CustomEvent).detail));
    return handler;
}

describe('c-review-reply', () => {
    afterEach(() => {
        resetDom();
        jest.clearAllMocks();
    });

    it('shows a spinner while the review loads, then asks the server for this record', async () => {
        const element = render();
        expect(findAll(element, 'lightning-spinner')).toHaveLength(1);
        await flushPromises();
        expect(reviewWire.getLastConfig()).toEqual({ reviewId: 'a0C000000000001AAA' });
        await expect(element).toBeAccessible();
    });

    it('shows the load error', async () => {
        const element = render();
        reviewWire.error({ message: 'You do not have access to this review.' });
        await flushPromises();
        expect(findAlert(element, '.load-error').textContent).toBe('You do not have access to this review.');
        await expect(element).toBeAccessible();
    });

    it('says so when the review is not found', async () => {
        const element = await renderWith(null);
        expect(find(element, '.not-found').textContent).toBe('c.TP_Reply_Not_Found');
    });

    it('offers Post reply on a service review without a reply', async () => {
        const element = await renderWith(NO_REPLY);
        expect(findAll(element, '.current-reply')).toHaveLength(0);
        expect((find(element, 'lightning-button.post') as unknown as { label: string }).label).toBe(
            'c.TP_Reply_Post'
        );
        expect(textarea(element).label).toBe('c.TP_Reply_Field_Label');
        await expect(element).toBeAccessible();
    });

    it('refuses to post an empty reply and says why', async () => {
        const element = await renderWith(NO_REPLY);
        const field = textarea(element);
        find(element, 'lightning-button.post').click();
        await flushPromises();
        expect(field.setCustomValidity).toHaveBeenCalledWith('c.TP_Reply_Required');
        expect(field.reportValidity).toHaveBeenCalled();
        expect(postReplyMock).not.toHaveBeenCalled();
    });

    it('posts the reply, clears the draft and refreshes the record', async () => {
        const element = await renderWith(NO_REPLY);
        const onToast = toasts(element);
        postReplyMock.mockResolvedValue({
            success: true,
            message: 'Reply posted to Trustpilot.',
            review: REPLIED
        });
        changeValue(textarea(element), '  Thank you, Jane! See you soon. ');
        await flushPromises();
        find(element, 'lightning-button.post').click();
        await flushPromises();

        expect(postReplyMock).toHaveBeenCalledWith({
            reviewId: 'a0C000000000001AAA',
            message: 'Thank you, Jane! See you soon.'
        });
        expect(onToast).toHaveBeenCalledWith({ message: 'c.TP_Reply_Posted', variant: 'success' });
        expect(refreshApex).toHaveBeenCalled();
        expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: 'a0C000000000001AAA' }]);
        expect(find(element, '.reply-text').textContent).toBe('Thank you, Jane! See you soon.');
        expect(textarea(element).value).toBe('');
    });

    it('keeps the draft and shows the error when Trustpilot refuses the reply', async () => {
        const element = await renderWith(NO_REPLY);
        postReplyMock.mockRejectedValue({ body: { message: 'Trustpilot refused the reply (403).' } });
        changeValue(textarea(element), 'My draft');
        await flushPromises();
        find(element, 'lightning-button.post').click();
        await flushPromises();

        const alert = findAlert(element, '.action-error');
        expect(alert.getAttribute('role')).toBe('alert');
        expect(alert.textContent).toBe('Trustpilot refused the reply (403).');
        expect(textarea(element).value).toBe('My draft');
        await expect(element).toBeAccessible();
    });

    it('keeps the draft when the server answers that Trustpilot refused it', async () => {
        const element = await renderWith(NO_REPLY);
        postReplyMock.mockResolvedValue({
            success: false,
            message: 'Trustpilot is busy (429). Try again in a minute.',
            review: { ...NO_REPLY, draftText: 'My draft' }
        });
        changeValue(textarea(element), 'My draft');
        await flushPromises();
        find(element, 'lightning-button.post').click();
        await flushPromises();
        expect(findAlert(element, '.action-error').textContent).toBe(
            'Trustpilot is busy (429). Try again in a minute.'
        );
        expect(textarea(element).value).toBe('My draft');
        expect(findAll(element, '.current-reply')).toHaveLength(0);
    });

    it('prefills the editor with a draft kept from an earlier refusal', async () => {
        const element = await renderWith(WITH_DRAFT);
        expect(textarea(element).value).toBe('Thanks for the feedback - draft');
    });

    it('shows why Trustpilot refused to delete the reply', async () => {
        const element = await renderWith(REPLIED);
        confirmOpen.mockResolvedValue(true);
        deleteReplyMock.mockResolvedValue({ success: false, message: null, review: REPLIED });
        find(element, 'lightning-button.delete').click();
        await flushPromises();
        expect(findAlert(element, '.action-error').textContent).toBe('c.TP_Reply_Delete_Failed');
        expect(findAll(element, '.current-reply')).toHaveLength(1);
    });

    it('falls back to a generic message when the error has none', async () => {
        const element = await renderWith(NO_REPLY);
        postReplyMock.mockRejectedValue({});
        changeValue(textarea(element), 'My draft');
        await flushPromises();
        find(element, 'lightning-button.post').click();
        await flushPromises();
        expect(findAlert(element, '.action-error').textContent).toBe('c.TP_Reply_Post_Failed');
    });

    it('edits an existing reply: copies it into the draft and replaces it', async () => {
        const element = await renderWith(REPLIED);
        const post = find(element, 'lightning-button.post') as unknown as { label: string; click(): void };
        expect(post.label).toBe('c.TP_Reply_Replace');
        find(element, 'lightning-button.edit').click();
        await flushPromises();
        expect(textarea(element).value).toBe('Thank you, Jane! See you soon.');

        postReplyMock.mockResolvedValue({
            success: true,
            message: null,
            review: { ...REPLIED, replyText: 'Thank you, Jane!' }
        });
        changeValue(textarea(element), 'Thank you, Jane!');
        await flushPromises();
        post.click();
        await flushPromises();
        expect(postReplyMock).toHaveBeenCalledWith({
            reviewId: 'a0C000000000001AAA',
            message: 'Thank you, Jane!'
        });
        expect(find(element, '.reply-text').textContent).toBe('Thank you, Jane!');
        await expect(element).toBeAccessible();
    });

    it('deletes the reply after confirmation', async () => {
        const element = await renderWith(REPLIED);
        const onToast = toasts(element);
        confirmOpen.mockResolvedValue(true);
        deleteReplyMock.mockResolvedValue({ success: true, message: null, review: NO_REPLY });
        find(element, 'lightning-button.delete').click();
        await flushPromises();

        expect(confirmOpen).toHaveBeenCalledWith(
            expect.objectContaining({ message: 'c.TP_Reply_Delete_Confirm' })
        );
        expect(deleteReplyMock).toHaveBeenCalledWith({ reviewId: 'a0C000000000001AAA' });
        expect(onToast).toHaveBeenCalledWith({ message: 'c.TP_Reply_Deleted', variant: 'success' });
        expect(findAll(element, '.current-reply')).toHaveLength(0);
    });

    it('does nothing when the deletion is cancelled', async () => {
        const element = await renderWith(REPLIED);
        confirmOpen.mockResolvedValue(false);
        find(element, 'lightning-button.delete').click();
        await flushPromises();
        expect(deleteReplyMock).not.toHaveBeenCalled();
        expect(findAll(element, '.current-reply')).toHaveLength(1);
    });

    it('shows the error when the deletion fails', async () => {
        const element = await renderWith(REPLIED);
        confirmOpen.mockResolvedValue(true);
        deleteReplyMock.mockRejectedValue(new Error('Read timed out'));
        find(element, 'lightning-button.delete').click();
        await flushPromises();
        expect(findAlert(element, '.action-error').textContent).toBe('Read timed out');
        expect(findAll(element, '.current-reply')).toHaveLength(1);
    });

    it('adds a comment to a product review, with no edit or delete', async () => {
        const element = await renderWith(PRODUCT);
        const onToast = toasts(element);
        expect(find(element, '.product-note').textContent!.trim()).toBe('c.TP_Reply_Product_Note');
        expect(textarea(element).label).toBe('c.TP_Reply_Comment_Field_Label');
        const post = find(element, 'lightning-button.post') as unknown as { label: string; click(): void };
        expect(post.label).toBe('c.TP_Reply_Add_Comment');

        postReplyMock.mockResolvedValue({ success: true, message: null, review: PRODUCT_COMMENTED });
        changeValue(textarea(element), 'Glad the shoes fit well!');
        await flushPromises();
        post.click();
        await flushPromises();
        expect(onToast).toHaveBeenCalledWith({ message: 'c.TP_Reply_Comment_Posted', variant: 'success' });
        expect(find(element, '.reply-text').textContent).toBe('Glad the shoes fit well!');
        expect(findAll(element, 'lightning-button.edit')).toHaveLength(0);
        expect(findAll(element, 'lightning-button.delete')).toHaveLength(0);
        await expect(element).toBeAccessible();
    });
});
