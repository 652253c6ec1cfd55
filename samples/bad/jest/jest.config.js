// The repository's jest configuration, rooted at this known-bad sample (run from this folder).
import base from '../../../jest.config.js';
import { fileURLToPath } from 'node:url';

export default { ...base, rootDir: fileURLToPath(new URL('.', import.meta.url)) };
