// Known-bad sample for gate:lint (typescript-eslint rules): an explicit any.
export function parse(text: string): any {
    return JSON.parse(text);
}
