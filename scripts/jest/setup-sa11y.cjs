// Registers sa11y's `await expect(element).toBeAccessible()` matcher (axe-core rules) for LWC tests.
const { registerSa11yMatcher } = require('@sa11y/jest');

registerSa11yMatcher();
