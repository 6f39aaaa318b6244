// Runs only when neither a prebuild nor a local compile produced a loadable addon.
// The install must still succeed: the TypeScript backend gives the same answers, only slower.
console.warn('active-rm: no native build could be loaded or compiled; the TypeScript backend will be used (same results, slower). See `npx active-rm info`.');
