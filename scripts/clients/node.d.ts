// The one Node global the examples use (the project installs no @types/node; fetch,
// URLSearchParams and console come from the DOM library).
declare const process: { env: Record<string, string | undefined>; exitCode: number | undefined };
