import type { VariableProperties } from '@redivis-ts/core';
import type { EmulatorContext } from '../context.js';
import type { VariableRow } from '../store/rows.js';

function valueLabels(text: string): Array<{ value: string; label: string }> {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** Variable list / get representation (spec §6.10); `parentUri` is the table's (or query's, upload's) uri. */
export function variableRepr(
  ctx: EmulatorContext,
  parentUri: string,
  v: VariableRow,
  mode: 'list' | 'get',
): VariableProperties {
  const body: VariableProperties = {
    kind: 'variable',
    uri: `${parentUri}/variables/${encodeURIComponent(v.name)}`,
    url: `${ctx.origin}${parentUri}/variables/${encodeURIComponent(v.name)}`,
    name: v.name,
    type: v.type,
    isFileId: v.is_file_id,
    index: v.idx,
    label: v.label,
  };
  if (mode === 'get') {
    body.description = v.description;
    body.valueLabels = valueLabels(v.value_labels);
  }
  return body;
}
