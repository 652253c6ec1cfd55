/** Jest stub of `lightning/logger` (sfdx-lwc-jest ships none): `log` is a jest mock function. */
export const log = jest.fn();
