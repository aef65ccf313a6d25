import type { VariableType } from '@redivis-ts/core';
import ExcelJS from 'exceljs';
import type { SchemaColumn } from '../store/uploads.js';
import { variableNames } from './columns.js';
import type { RecordSink } from './records.js';

// xlsx uploads (spec §5.9.1 lists xls and xlsx): the first worksheet, read row by row with exceljs's streaming
// reader (a maintained library; DuckDB's excel extension cannot be installed here), written as NDJSON through the
// record sink with the types inferred from the cells. Legacy .xls (BIFF) has no maintained JavaScript reader, so
// it stays a 400 (upload-metadata.ts).

type Kind = Exclude<Exclude<VariableType, 'time'>, 'geography'>;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A cell as a JSON value and its kind; exceljs gives dates as UTC Dates holding the sheet's wall time. */
function cellValue(raw: unknown): { value: unknown; kind: Kind } | null {
  let v = raw;
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as { result?: unknown; richText?: Array<{ text: string }>; text?: unknown; error?: unknown };
    if ('error' in o) return null;
    if ('result' in o) v = o.result;
    else if (o.richText) v = o.richText.map((r) => r.text).join('');
    else if (typeof o.text === 'string') v = o.text;
    else v = JSON.stringify(v);
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) return null;
  }
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return { value: v, kind: Number.isInteger(v) ? 'integer' : 'float' };
  if (typeof v === 'boolean') return { value: v, kind: 'boolean' };
  if (v instanceof Date) {
    const date = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    const ms = v.getUTCHours() * 3_600_000 + v.getUTCMinutes() * 60_000 + v.getUTCSeconds() * 1000;
    if (ms === 0 && v.getUTCMilliseconds() === 0) return { value: date, kind: 'date' };
    const time = `${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}.${pad(v.getUTCMilliseconds(), 3)}`;
    return { value: `${date} ${time}`, kind: 'dateTime' };
  }
  return { value: String(v), kind: 'string' };
}

/** The variable type of the kinds a column held: one kind keeps its type, numbers widen, dates widen, else string. */
function columnType(kinds: ReadonlySet<Kind>): VariableType {
  if (kinds.size === 0) return 'string';
  if (kinds.size === 1) return [...kinds][0] as VariableType;
  if ([...kinds].every((k) => k === 'integer' || k === 'float')) return 'float';
  if ([...kinds].every((k) => k === 'date' || k === 'dateTime')) return 'dateTime';
  return 'string';
}

/** Writes the first worksheet's rows to the sink and returns its variables (names from the header row or `columnN`). */
export async function convertXlsx(
  path: string,
  sink: RecordSink,
  hasHeaderRow: boolean,
): Promise<SchemaColumn[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let names: string[] | undefined;
  const kinds: Array<Set<Kind>> = [];
  let columns: string[] = [];
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = (row.values as unknown[]).slice(1);
      if (hasHeaderRow && names === undefined) {
        names = values.map((v) => (cellValue(v)?.value ?? '').toString());
        continue;
      }
      const width = Math.max(values.length, names?.length ?? 0, columns.length);
      if (width > columns.length) {
        const raw = Array.from({ length: width }, (_, i) => names?.[i] ?? '');
        columns = variableNames(raw);
        while (kinds.length < width) kinds.push(new Set());
      }
      await sink.record(row.number, () => {
        const out: Record<string, unknown> = {};
        for (let i = 0; i < columns.length; i++) {
          const cell = cellValue(values[i]);
          if (cell) kinds[i]?.add(cell.kind);
          out[columns[i] as string] = cell?.value ?? null;
        }
        return out;
      });
    }
    break; // the first worksheet only, as Redivis imports it
  }
  return columns.map((name, i) => ({ name, type: columnType(kinds[i] ?? new Set()) }));
}
