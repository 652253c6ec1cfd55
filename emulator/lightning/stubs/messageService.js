/** `lightning/messageService`: an in-page message bus with the platform's API. */
const subscribers = new Map();
let nextId = 1;

export const APPLICATION_SCOPE = Symbol('APPLICATION_SCOPE');

export class MessageContext {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
    }
    connect() {
        this.dataCallback({ id: nextId++ });
    }
    disconnect() {}
    update() {}
}

export function createMessageContext() {
    return { id: nextId++ };
}

export function releaseMessageContext() {}

export function publish(_context, channel, message) {
    for (const s of subscribers.values()) {
        if (s.channel === channel?.channel) s.listener(message);
    }
}

export function subscribe(_context, channel, listener) {
    const subscription = { id: nextId++ };
    subscribers.set(subscription.id, { channel: channel?.channel, listener });
    return subscription;
}

export function unsubscribe(subscription) {
    if (subscription) subscribers.delete(subscription.id);
}
