/** An HTML table of row objects (columns from the first row; text only, never HTML). */
export function rowsTable(rows: readonly Record<string, unknown>[]): HTMLTableElement {
  const table = document.createElement('table');
  const columns = Object.keys(rows[0] ?? {});
  const head = table.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement('th');
    th.textContent = c;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const c of columns) tr.insertCell().textContent = row[c] === null ? '' : String(row[c]);
  }
  return table;
}
