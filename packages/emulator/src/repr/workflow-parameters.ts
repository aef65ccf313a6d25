import type { ParameterProperties } from '@redivis-ts/core';
import type { EmulatorContext } from '../context.js';
import type { ResolvedWorkflow } from '../http/resolve.js';
import type { ParameterRow } from '../store/workflow-parameters.js';
import { workflowUri } from './workflows.js';

/** Parameter representation. */
export function parameterRepr(
  ctx: EmulatorContext,
  wf: ResolvedWorkflow,
  p: ParameterRow,
): ParameterProperties {
  return {
    kind: 'parameter',
    uri: `${workflowUri(ctx, wf)}/parameters/${encodeURIComponent(p.name)}`,
    id: p.id,
    name: p.name,
    type: p.type,
    values: JSON.parse(p.values) as unknown[],
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}
