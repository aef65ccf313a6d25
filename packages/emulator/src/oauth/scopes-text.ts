/** What each scope lets an application do, in the words of the Authorization page (rest-api.md §3.1). */
export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  public: 'See what an anonymous visitor can see',
  'data.overview': 'See the existence and documentation of non-public datasets you can access',
  'data.metadata': 'See variables and summary statistics of non-public datasets you can access',
  'data.data': 'Read the data of non-public datasets you can access',
  'data.edit': 'Create, edit and delete datasets, and release versions',
  'organization.read': 'Read administrative information of organizations you administer',
  'organization.write': 'Change administrative information of organizations you administer',
  'workflow.write': 'Create and change workflows',
};
