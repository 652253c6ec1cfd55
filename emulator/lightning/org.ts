/**
 * What the preview server needs from an org, and how it gets it from the local Apex runtime
 * (`emulator/apex`). The preview never answers a controller call itself: every `@salesforce/apex`
 * call, query and save goes through the runtime, so the package's own Apex (and triggers) run.
 */
import type { Schema } from '../apex/data/schema.ts';

/** A failure the platform would report to the browser as `{status, body: {message, exceptionType}}`. */
export class OrgError extends Error {
    constructor(
        message: string,
        readonly exceptionType: string,
        readonly status = 500,
        readonly stackTrace: string | null = null
    ) {
        super(message);
    }
}

export type PlainRecord = Record<string, unknown> & { Id?: string };

export interface PreviewOrg {
    readonly schema: Schema;
    /** The user the preview runs as (the Super User who connected). */
    readonly userId: string;
    readonly userName: string;
    /** Custom permissions the running user holds through its permission sets. */
    customPermissions(): Promise<string[]>;
    /** Runs an `@AuraEnabled` method; resolves with its JSON-serialized return value. */
    invokeAura(className: string, method: string, params: Record<string, unknown>): Promise<unknown>;
    /** SOQL in system mode for the preview's own pages (list views, record details, demo records). */
    query(soql: string): Promise<PlainRecord[]>;
    /** DML through the runtime (triggers, validation, required fields), as the running user. */
    insert(objectName: string, records: PlainRecord[]): Promise<string[]>;
    update(records: PlainRecord[]): Promise<void>;
    remove(ids: string[]): Promise<void>;
    /** Anonymous Apex (the demo seed), as the running user. */
    runAnonymous(source: string): Promise<void>;
    now(): Date;
    /** Moves the org's clock forward and runs the async work (queueables, schedules) that is due. */
    advanceClock(ms: number): Promise<{ jobsRun: number }>;
    /** Writes the whole database to `file`; `load` reads it back. */
    save(file: string): void;
}

export interface OrgOptions {
    /** Base URL per Named Credential (`Trustpilot_API` → the simulator). */
    namedCredentialUrls: Record<string, string>;
    stateFile: string;
}

/**
 * Opens the local org in the runtime (see runtime-org.ts). Throws an OrgError naming what is missing
 * when the runtime cannot host the preview.
 */
export async function openOrg(options: OrgOptions, schema: Schema): Promise<PreviewOrg> {
    try {
        const { openRuntimeOrg } = await import('./runtime-org.ts');
        return await openRuntimeOrg(options, schema);
    } catch (e) {
        if (e instanceof OrgError) throw e;
        throw new OrgError(
            `the local Apex runtime cannot be opened: ${(e as Error).message}`,
            'PreviewRuntimeUnavailable',
            503
        );
    }
}
