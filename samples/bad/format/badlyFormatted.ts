// Known-bad sample for gate:format: double quotes and a missing semicolon.
export const greeting = "hello"
