import type { ResourceClasses } from './context.js';
import { Dataset } from './Dataset.js';
import { Datasource } from './Datasource.js';
import { Member } from './Member.js';
import { Notebook } from './Notebook.js';
import { Organization } from './Organization.js';
import { Parameter } from './Parameter.js';
import { Query } from './Query.js';
import { Secret } from './Secret.js';
import { Table } from './Table.js';
import { Transform } from './Transform.js';
import { Upload } from './Upload.js';
import { User } from './User.js';
import { Variable } from './Variable.js';
import { Version } from './Version.js';
import { Workflow } from './Workflow.js';

/**
 * The one module that imports every resource class as a value; `createRedivis` puts this on the context as
 * `ctx.make`, so the class modules themselves need only `import type` of each other and the object model has no
 * import cycle (biome's `noImportCycles` keeps it so). @internal
 */
export const resourceClasses: ResourceClasses = {
  Dataset,
  Datasource,
  Member,
  Notebook,
  Organization,
  Parameter,
  Query,
  Secret,
  Table,
  Transform,
  Upload,
  User,
  Variable,
  Version,
  Workflow,
};
