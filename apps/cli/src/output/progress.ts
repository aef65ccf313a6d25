import type { Output } from './output.js';

/** Progress of a long read, upload or download. */
export interface ProgressUpdate {
  /** Units done (rows or bytes). */
  value: number;
  /** Units expected, when known. */
  total?: number;
  /** Bytes moved so far, when the unit is rows. */
  bytes?: number;
}

/** A progress display that draws only on a terminal; elsewhere every method is a no-op. */
export interface Progress {
  update(update: ProgressUpdate): void;
  /** Remove the bar (leaves the terminal as it was). */
  stop(): void;
}

const NONE: Progress = { update() {}, stop() {} };

/**
 * A cli-progress bar on stderr: units done and total, rate, ETA (and bytes for row reads). Loaded lazily and
 * only when stderr is a terminal and neither --json nor --quiet is set.
 */
export async function createProgress(out: Output, unit: 'rows' | 'bytes', label: string): Promise<Progress> {
  if (!out.interactive) return NONE;
  const imported = await import('cli-progress');
  // CommonJS: Node hands the exports object over as `default`.
  const cliProgress = (imported as unknown as { default?: typeof imported }).default ?? imported;
  const { formatBytes, formatCount } = await import('./format.js');
  const started = Date.now();
  const show = (n: number) => (unit === 'bytes' ? (formatBytes(n) ?? '') : (formatCount(n) ?? ''));
  const bar = new cliProgress.SingleBar(
    {
      stream: out.io.stderr as NodeJS.WritableStream,
      format: (
        options: { barsize?: number },
        params: { progress: number; total: number; value: number; eta: number },
        payload: { extra: string },
      ) => {
        const size = options.barsize ?? 24;
        const filled = Math.round(params.progress * size);
        const known = params.total > 0;
        const barText = known ? `${'█'.repeat(filled)}${'░'.repeat(size - filled)} ` : '';
        const seconds = Math.max((Date.now() - started) / 1000, 0.001);
        const rate = `${show(params.value / seconds)}${unit === 'rows' ? ' rows' : ''}/s`;
        const amount = known ? `${show(params.value)}/${show(params.total)}` : show(params.value);
        const eta = known && params.eta > 0 && Number.isFinite(params.eta) ? ` ETA ${params.eta}s` : '';
        return `${label} ${barText}${amount} ${unit === 'rows' ? 'rows ' : ''}${payload.extra}| ${rate}${eta}`;
      },
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
      barsize: 24,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(0, 0, { extra: '' });
  let stopped = false;
  return {
    update({ value, total, bytes }) {
      if (stopped) return;
      if (total !== undefined && total !== bar.getTotal()) bar.setTotal(total);
      bar.update(value, { extra: bytes === undefined ? '' : `(${formatBytes(bytes)}) ` });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

/** A spinner for waits (yocto-spinner) on stderr; a status line when not on a terminal. */
export async function withSpinner<T>(out: Output, text: string, work: () => Promise<T>): Promise<T> {
  if (!out.interactive) return work();
  const { default: yoctoSpinner } = await import('yocto-spinner');
  const spinner = yoctoSpinner({ text, stream: out.io.stderr as NodeJS.WriteStream }).start();
  try {
    const result = await work();
    spinner.stop();
    return result;
  } catch (error) {
    spinner.stop();
    throw error;
  }
}
