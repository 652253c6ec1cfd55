/**
 * Second-tier platform library of the local Apex runtime (Database, Schema, Security, async, callouts,
 * Crypto, EncodingUtil, Pattern...). Registered with the core's native registry through addLibrary.
 */
import { addLibrary } from '../runtime/natives.js';
import { installAsync } from './async.js';
import { installCrypto } from './crypto.js';
import { installDatabase } from './database.js';
import { installHttp } from './http.js';
import { installMerge } from './merge.js';
import { installSchema } from './schema.js';
import { installSearch } from './search.js';
import { installStubs } from './stubs.js';

addLibrary((r) => {
    installSchema(r);
    installDatabase(r);
    installCrypto(r);
    installHttp(r);
    installAsync(r);
    installSearch(r);
    installMerge(r);
    installStubs(r);
});
