// The explorer's example operations, one tab per audience. The insights tab is left out on a
// server without those fields rather than shown failing.
const FRONTEND = `# Front-end teams: one query gives a customer's screen.
# Search by name, company or email prefix, then open one customer by id.
query CustomerScreen($text: String! = "mar") {
  searchCustomers(text: $text, first: 3) {
    id
    displayName
    email
    phone
    address { postcode city }
    sources { source entity key matchedBy }
    consents { purpose status }
    orders(first: 3) { nodes { placedAt channel total lines { productName quantity } } }
    tickets(first: 3) { subject status createdAt }
    account { name company { legalName nafLabel headcountBand } }
  }
}
`;

const BI_SCAN = `# BI tools: paged scans of every customer (Relay cursors), filtered in the sources.
# Pass pageInfo.endCursor as $after for the next page.
query CustomerScan($after: String) {
  customers(first: 100, after: $after, filter: { kind: PERSON }) {
    pageInfo { hasNextPage endCursor }
    edges { node { id kind address { postcode city } } }
  }
}
`;

const PARTNER = `# Partners never query this endpoint: they call /partner/graphql with operations the
# operator registered, and see pseudonyms, generalized attributes and aggregates only.
# What such an aggregate looks like here, with no personal field:
query PartnerLikeAggregate {
  customers(first: 20, filter: { kind: COMPANY }) {
    edges { node { kind address { city country } account { industry company { nafLabel headcountBand } } } }
  }
}
`;

const BI_INSIGHTS = `# BI tools: aggregates computed in the sources (one aggregate statement per source).
query Insights {
  segments { segment { id label family } customers revenue averageBasket shareOfRevenue }
  dataQualityReport { issues { source entity kind count } records { source entity count } }
}
`;

/** The tabs: front-end, BI (with insights when this server has them) and partners. */
export function exampleTabs(queryFields) {
  const insights = queryFields.has('segments') && queryFields.has('dataQualityReport');
  return [{ query: FRONTEND }, { query: BI_SCAN }, ...(insights ? [{ query: BI_INSIGHTS }] : []), { query: PARTNER }];
}
