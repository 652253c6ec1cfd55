/** A closed feature gate of the base components (see build.ts for which one and why). */
export default { isOpen: () => false };
