/**
 * Deterministic seed data for the Trustpilot simulator: one business unit, its business user,
 * invitation templates, a product catalogue, and a few hundred service and product reviews.
 *
 * Everything derives from a seeded PRNG and an anchor time, so the same `(seed, anchor)` always
 * yields the same reviews. Dates are spread over the 120 days before the anchor, so an import of
 * "the last 30 days" finds a realistic subset.
 */
import type { BusinessUnit, CatalogueProduct, ProductReview, ServiceReview, Template } from './types.ts';

/** The business unit the demo org connects to (find it by this domain). */
export const DEMO_DOMAIN = 'northwind-outfitters.example';
export const DEMO_BUSINESS_UNIT_ID = '5f1a3c9e8b7d6a5f4e3d2c1b';
/** The business user replies are authored as and invitations are sent for. */
export const DEMO_BUSINESS_USER_ID = '6a2b4c6d8e0f1a2b3c4d5e6f';

/**
 * The products Trustpilot knows ("SKUs synced"): invitations that name `productSkus` must use
 * these. The demo org's Product2 records carry the same SKUs.
 */
export const CATALOGUE: readonly CatalogueProduct[] = [
    { sku: 'NW-TENT-2P', name: 'Ridgeline 2-Person Tent', productUrl: 'https://shop.example/p/tent-2p' },
    { sku: 'NW-BAG-20F', name: 'Summit 20°F Sleeping Bag', productUrl: 'https://shop.example/p/bag-20f' },
    { sku: 'NW-PACK-45L', name: 'Trailhead 45 L Backpack', productUrl: 'https://shop.example/p/pack-45l' },
    { sku: 'NW-STOVE-1', name: 'Campfire Micro Stove', productUrl: 'https://shop.example/p/stove-1' },
    { sku: 'NW-BOOT-M', name: 'Granite Hiking Boot', productUrl: 'https://shop.example/p/boot-m' },
    { sku: 'NW-LAMP-300', name: 'Beacon 300 Headlamp', productUrl: 'https://shop.example/p/lamp-300' }
];

export const TEMPLATES: readonly Template[] = [
    {
        id: '507f191e810c19729de860ea',
        name: 'Default service invitation',
        locale: 'en-US',
        isDefaultTemplate: true,
        type: 'Service'
    },
    {
        id: '507f191e810c19729de860eb',
        name: 'Service and product invitation',
        locale: 'en-US',
        isDefaultTemplate: false,
        type: 'ServiceAndProduct'
    },
    {
        id: '507f191e810c19729de860ec',
        name: 'Dansk invitation',
        locale: 'da-DK',
        isDefaultTemplate: false,
        type: 'Service'
    }
];

export const SERVICE_REVIEW_COUNT = 300;
export const PRODUCT_REVIEW_COUNT = 120;
/** Days before the anchor over which seeded reviews are spread. */
export const SEED_SPAN_DAYS = 120;

/** Texts that look like markup: a UI must show them as text, never render them. */
export const HOSTILE_TEXTS: readonly string[] = [
    '<img src=x onerror=alert(1)>',
    '<script>alert("xss")</script> Great tent though.',
    '<b>Bold</b> claims &amp; <a href="javascript:alert(1)">a link</a>',
    '"><svg onload=alert(1)> {!$User.Id} ${7*7}'
];

interface Phrase {
    language: string;
    titles: readonly string[];
    texts: readonly string[];
}

/** Review wording per language, including non-Latin scripts and emoji. */
const PHRASES: readonly Phrase[] = [
    {
        language: 'en',
        titles: [
            'Great service',
            'Fast delivery',
            'Not what I expected',
            'Would buy again',
            'Terrible support'
        ],
        texts: [
            'Ordered on Monday, arrived on Wednesday. Everything as described.',
            'The support team sorted out my return within a day. 👍',
            'Quality is fine but the package was damaged on arrival.',
            'Third order this year — still happy with the price and the quality.',
            'Nobody answered my emails for two weeks.'
        ]
    },
    {
        language: 'da',
        titles: ['Fremragende', 'Hurtig levering', 'Skuffet', 'Søde medarbejdere'],
        texts: [
            'Varen kom hurtigt, og kvaliteten er god.',
            'Æbler, øl og ål — alt ankom i god stand.',
            'Det tog for lang tid at få svar.'
        ]
    },
    {
        language: 'de',
        titles: ['Sehr gut', 'Schnelle Lieferung', 'Enttäuschend'],
        texts: [
            'Die Ware kam pünktlich und gut verpackt an.',
            'Größe passt, Qualität überzeugt. Gerne wieder!',
            'Der Kundendienst war unfreundlich.'
        ]
    },
    {
        language: 'fr',
        titles: ['Très satisfait', 'Livraison rapide', 'Décevant'],
        texts: [
            'Produit conforme à la description, livraison soignée.',
            'Service client réactif et agréable. Merci à Amélie !',
            'Colis arrivé abîmé, remboursement très lent.'
        ]
    },
    {
        language: 'ja',
        titles: ['素晴らしい', '配送が早い', '残念'],
        texts: [
            '商品はとても良かったです。また購入します。',
            '梱包が丁寧で、届くのも早かったです 🎉',
            'サポートからの返事がありませんでした。'
        ]
    },
    {
        language: 'ar',
        titles: ['خدمة ممتازة', 'توصيل سريع'],
        texts: ['وصل الطلب في الوقت المحدد وكان كل شيء ممتازا.', 'خدمة العملاء كانت رائعة وسريعة.']
    }
];

const FIRST_NAMES = [
    'Anna',
    'Bjørn',
    'Chloé',
    'Dmitri',
    'Émile',
    'Fatima',
    'Günter',
    'Hiro',
    'Ingrid',
    'José',
    'Keiko',
    'Liam',
    'Maëlle',
    'Nour',
    'Oskar',
    'Priya'
];
const LAST_NAMES = [
    'Andersen',
    'Brontë',
    'Carvalho',
    'Dubois',
    'Eriksen',
    'Fischer',
    'García',
    'Haddad',
    'Ito',
    'Jensen',
    'Kowalski',
    "O'Brien"
];
const LOCATIONS = [
    'Copenhagen, DK',
    'London, GB',
    'München, DE',
    'Lyon, FR',
    'Tokyo, JP',
    'Dubai, AE',
    'New York, US'
];

/** mulberry32: a small, fast, well-distributed 32-bit PRNG (public-domain algorithm). */
export function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A 24-hex-digit id shaped like Trustpilot's object ids, derived from a kind and a sequence number. */
export function objectId(kind: number, n: number): string {
    return (kind.toString(16).padStart(8, '0') + n.toString(16).padStart(16, '0')).slice(0, 24);
}

function pick<T>(rand: () => number, list: readonly T[]): T {
    return list[Math.floor(rand() * list.length)] as T;
}

/** Star distribution skewed positive, like most business units. */
function stars(rand: () => number): number {
    const r = rand();
    if (r < 0.08) return 1;
    if (r < 0.14) return 2;
    if (r < 0.24) return 3;
    if (r < 0.46) return 4;
    return 5;
}

export interface SeedData {
    businessUnit: BusinessUnit;
    serviceReviews: ServiceReview[];
    productReviews: ProductReview[];
}

/**
 * Builds the seed. `anchor` is "now" for the seed: every review is created before it.
 * The first few service and product reviews (the newest) carry the hostile texts.
 */
export function buildSeed(anchor: Date, seed = 20261127): SeedData {
    const rand = prng(seed);
    const spanMs = SEED_SPAN_DAYS * 86_400_000;
    const consumer = (n: number) => ({
        id: objectId(0xc0, n),
        displayName: `${pick(rand, FIRST_NAMES)} ${pick(rand, LAST_NAMES)}`,
        displayLocation: pick(rand, LOCATIONS)
    });

    const serviceReviews: ServiceReview[] = [];
    for (let i = 0; i < SERVICE_REVIEW_COUNT; i++) {
        // i = 0 is the newest; ages grow with i, with jitter, never past the span.
        const ageMs = Math.floor(((i + rand()) / SERVICE_REVIEW_COUNT) * spanMs);
        const created = new Date(anchor.getTime() - ageMs - 60_000);
        const phrase = pick(rand, PHRASES);
        const id = objectId(0x5e, i + 1);
        const c = consumer(i);
        const hostile = HOSTILE_TEXTS[i];
        const review: ServiceReview = {
            id,
            stars: hostile ? 1 + (i % 5) : stars(rand),
            title: hostile ? `Markup test ${i + 1}` : pick(rand, phrase.titles),
            text: hostile ?? pick(rand, phrase.texts),
            language: hostile ? 'en' : phrase.language,
            createdAt: created.toISOString(),
            updatedAt: created.toISOString(),
            isVerified: rand() < 0.7,
            consumer: c,
            referenceId: rand() < 0.5 ? `ORD-${(10_000 + i).toString()}` : null,
            referralEmail: `${c.displayName.split(' ')[0]?.toLowerCase() ?? 'consumer'}.${i}@mail.example`,
            tags: rand() < 0.3 ? [{ group: 'channel', value: pick(rand, ['web', 'store', 'phone']) }] : [],
            locationId: null,
            links: [{ href: `https://www.trustpilot.com/reviews/${id}`, method: 'GET', rel: 'reviews' }]
        };
        // Some older reviews were already answered on Trustpilot.
        if (i > 20 && rand() < 0.35) {
            review.companyReply = {
                text: 'Thank you for your feedback!',
                createdAt: new Date(created.getTime() + 3_600_000).toISOString(),
                authorBusinessUserId: DEMO_BUSINESS_USER_ID
            };
        }
        serviceReviews.push(review);
    }

    const productReviews: ProductReview[] = [];
    for (let i = 0; i < PRODUCT_REVIEW_COUNT; i++) {
        const ageMs = Math.floor(((i + rand()) / PRODUCT_REVIEW_COUNT) * spanMs);
        const created = new Date(anchor.getTime() - ageMs - 120_000);
        const phrase = pick(rand, PHRASES);
        const product = pick(rand, CATALOGUE);
        const hostile = i === 0 ? HOSTILE_TEXTS[0] : undefined;
        productReviews.push({
            id: objectId(0x9e, i + 1),
            stars: stars(rand),
            content: hostile ?? pick(rand, phrase.texts),
            language: hostile ? 'en' : phrase.language,
            product: { sku: product.sku, name: product.name, productUrl: product.productUrl },
            consumer: {
                id: objectId(0xc1, i),
                displayName: `${pick(rand, FIRST_NAMES)} ${pick(rand, LAST_NAMES)}`
            },
            createdAt: created.toISOString(),
            updatedAt: created.toISOString(),
            referenceId: rand() < 0.5 ? `ORD-${(20_000 + i).toString()}` : null,
            conversationId: null
        });
    }

    return {
        businessUnit: {
            id: DEMO_BUSINESS_UNIT_ID,
            displayName: 'Northwind Outfitters',
            name: { identifying: DEMO_DOMAIN, referring: [DEMO_DOMAIN, 'Northwind Outfitters'] },
            websiteUrl: `https://${DEMO_DOMAIN}`,
            country: 'DK',
            status: 'active',
            businessUserIds: [DEMO_BUSINESS_USER_ID]
        },
        serviceReviews,
        productReviews
    };
}
