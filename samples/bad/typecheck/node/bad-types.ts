// Known-bad sample for gate:typecheck: a string where a number is declared.
export const port: number = '8080';
