// Placeholder demo until the emulator lands: shows the core package loads from its build.
const core = await import('../packages/core/dist/index.js');
console.log(`redivis-ts demo: loaded ${core.packageName}`);
