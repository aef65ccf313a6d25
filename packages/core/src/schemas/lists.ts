import { listEnvelopeSchema } from './common.js';
import { datasetListItemSchema } from './datasets.js';
import { accessSchema, memberSchema } from './members.js';
import { datasourceSchema, notebookSchema, parameterSchema, transformSchema } from './nodes.js';
import { tableListItemSchema } from './tables.js';
import { uploadListItemSchema } from './uploads.js';
import { variableSchema } from './variables.js';
import { versionListItemSchema } from './versions.js';
import { workflowSchema } from './workflows.js';

/** A page of `GET /users/:u/datasets` or `GET /organizations/:o/datasets` (`datasetList`). */
export const datasetListSchema = listEnvelopeSchema(datasetListItemSchema);
/** A page of `GET /datasets/:ref/tables` or `GET /workflows/:ref/tables` (`tableList`). */
export const tableListSchema = listEnvelopeSchema(tableListItemSchema);
/** A page of `GET <table|upload|query uri>/variables` (`variableList`). */
export const variableListSchema = listEnvelopeSchema(variableSchema);
/** A page of `GET /datasets/:ref/versions` (`versionList`). */
export const versionListSchema = listEnvelopeSchema(versionListItemSchema);
/** A page of `GET /users/:u/workflows` or `GET /organizations/:o/workflows` (`workflowList`). */
export const workflowListSchema = listEnvelopeSchema(workflowSchema);
/** A page of `GET /tables/:ref/uploads` (`uploadList`). */
export const uploadListSchema = listEnvelopeSchema(uploadListItemSchema);
/** A page of `GET /organizations/:o/members` (`memberList`). */
export const memberListSchema = listEnvelopeSchema(memberSchema);
/** A page of an access list (`accessList`). */
export const accessListSchema = listEnvelopeSchema(accessSchema);
/** A page of `GET /workflows/:ref/notebooks`. */
export const notebookListSchema = listEnvelopeSchema(notebookSchema);
/** A page of `GET /workflows/:ref/transforms`. */
export const transformListSchema = listEnvelopeSchema(transformSchema);
/** A page of `GET /workflows/:ref/parameters`. */
export const parameterListSchema = listEnvelopeSchema(parameterSchema);
/** A page of `GET /workflows/:ref/dataSources`. */
export const datasourceListSchema = listEnvelopeSchema(datasourceSchema);
