/** Installs the language core's platform library (first tier) into the native registry. */
import { addLibrary } from '../runtime/natives.js';
import { installCollections } from './collections.js';
import { installDatetime } from './datetime.js';
import { installJson, installJsonGenerator } from './json.js';
import { installRegex } from './regex.js';
import { installNumbers } from './numbers.js';
import { installStrings } from './strings.js';
import { installSystem } from './system.js';

let installed = false;

/** Registers the core library once per process (every Interpreter created afterwards gets it). */
export function registerCoreLibrary(): void {
    if (installed) return;
    installed = true;
    addLibrary((r) => {
        installSystem(r);
        installStrings(r);
        installNumbers(r);
        installCollections(r);
        installDatetime(r);
        installJson(r);
        installJsonGenerator(r);
        installRegex(r);
    });
}
