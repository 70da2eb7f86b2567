// GraphiQL from node_modules (React UMD globals), pointed at this server's /graphql.
import { exampleTabs } from './examples.js';
import { queryFieldNames } from './gql.js';
import { applyLabels } from './i18n.js';

const OPERATION = /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/gm;

/**
 * GraphiQL 3 can send the operation name of the tab it showed before (a tab from defaultTabs
 * keeps the first tab's name until edited); a name the document lacks is replaced by its own.
 */
function withOwnOperationName(params) {
  if (typeof params.query !== 'string') return params;
  const names = [...params.query.matchAll(OPERATION)].map((match) => match[1]);
  if (params.operationName == null || names.includes(params.operationName)) return params;
  return { ...params, operationName: names.length === 1 ? names[0] : undefined };
}

async function start() {
  const tabs = exampleTabs(await queryFieldNames().catch(() => new Set()));
  // GraphiQL's fetcher posts JSON (content-type: application/json), which Apollo's CSRF prevention accepts.
  const post = window.GraphiQL.createFetcher({ url: new URL('/graphql', location.href).toString() });
  const fetcher = (params, options) => post(withOwnOperationName(params), options);
  const root = window.ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    window.React.createElement(window.GraphiQL, {
      fetcher,
      defaultTabs: tabs,
      defaultQuery: tabs[0].query,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    }),
  );
}

applyLabels();
void start();
