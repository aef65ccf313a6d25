// Child process for the benchmarks: runs the built emulator on a data dir and prints its URL as one JSON line, so
// the parent can measure this process's memory (RSS) apart from its own. Stops on SIGTERM.
// BENCH_DIST names another build directory (e.g. an older build, for before/after runs).
const { startEmulator } = await import(`../${process.env.BENCH_DIST ?? 'dist'}/index.js`);

const [dataDir, seedRows] = process.argv.slice(2);
const emu = await startEmulator({ dataDir, seed: 'demo', seedRows: Number(seedRows), rateLimit: false });
process.stdout.write(`${JSON.stringify({ url: emu.url, pid: process.pid })}\n`);
process.on('SIGTERM', async () => {
  await emu.stop();
  process.exit(0);
});
