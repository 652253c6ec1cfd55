/** Installs the language core's platform library (first tier) into the native registry. */
import { addLibrary } from '../runtime/natives.js';
import { installCollections } from './collections.js';
import { installDatetime } from './datetime.js';
import { installJson } from './json.js';
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
    });
}
