/** One bar of a histogram: values in [x0, x1) (the last bar includes x1). */
export interface Bin {
  /** Lower bound. */
  x0: number;
  /** Upper bound. */
  x1: number;
  /** How many values fall in the bin. */
  count: number;
}

/** Equal-width bins over the finite values (nulls and NaN are skipped). */
export function histogram(values: readonly unknown[], binCount = 12): Bin[] {
  const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (numbers.length === 0) return [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of numbers) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const width = max > min ? (max - min) / binCount : 1;
  const bins: Bin[] = Array.from({ length: max > min ? binCount : 1 }, (_, i) => ({
    x0: min + i * width,
    x1: min + (i + 1) * width,
    count: 0,
  }));
  for (const v of numbers) {
    const i = Math.min(bins.length - 1, Math.floor((v - min) / width));
    (bins[i] as Bin).count++;
  }
  return bins;
}

/** An SVG bar chart of `bins`; each bar carries its count in `data-count` and a `<title>` tooltip. */
export function histogramSvg(bins: readonly Bin[], width = 600, height = 200): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  const tallest = Math.max(1, ...bins.map((b) => b.count));
  const barWidth = width / Math.max(1, bins.length);
  bins.forEach((bin, i) => {
    const rect = document.createElementNS(ns, 'rect');
    const h = (bin.count / tallest) * (height - 10);
    rect.setAttribute('x', String(i * barWidth + 1));
    rect.setAttribute('y', String(height - h));
    rect.setAttribute('width', String(barWidth - 2));
    rect.setAttribute('height', String(h));
    rect.dataset.count = String(bin.count);
    const title = document.createElementNS(ns, 'title');
    title.textContent = `${bin.x0.toFixed(2)}–${bin.x1.toFixed(2)}: ${bin.count}`;
    rect.append(title);
    svg.append(rect);
  });
  return svg;
}
