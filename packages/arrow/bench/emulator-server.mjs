// Runs the emulator in its own process, so that the benchmarked client does not share a CPU with DuckDB and
// the client's memory can be measured alone. Prints one JSON line {url, origin} when ready; stops on SIGTERM.
import { startEmulator } from '@redivis-ts/emulator';

const seedRows = Number(process.argv[2] ?? 1_000_000);
const emu = await startEmulator({ seed: 'demo', seedRows, rateLimit: false });
process.stdout.write(`${JSON.stringify({ url: emu.url, origin: emu.origin })}\n`);
const stop = async () => {
  await emu.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
