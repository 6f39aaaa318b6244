// CommonJS on purpose (.cts compiles to .cjs in both builds): __dirname is this module's folder in
// the ESM build (which imports it) and the CommonJS build alike, where import.meta.url would not
// compile to CommonJS. The native loader walks up from here to the package root.
export const moduleFolder = __dirname;
