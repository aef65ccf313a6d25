// Preloaded with --import: prints the process's peak RSS (KiB) as the last stderr line when it exits.
process.on('exit', () => {
  process.stderr.write(`\nmaxRSS=${process.resourceUsage().maxRSS}\n`);
});
