// Placeholder until the emulator lands.
console.log('redivis-ts demo: packages built');
