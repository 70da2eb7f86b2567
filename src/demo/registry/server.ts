/**
 * The demo company registry: answers `GET /search` like the French company search API
 * (recherche-entreprises.api.gouv.fr, see shared/reference/recherche-entreprises-open-api.yml)
 * for the demo world's companies, closed ones included, so that the same c360 mapping
 * works against both. Like the real one it allows 7 requests per second and answers
 * 429 with `Retry-After` beyond that.
 */
import type { DemoCompany } from '../world-types.js';
import { startService } from '../helpdesk/service-kit.js';
import type { DemoService, MalformedKind, ServiceReply } from '../helpdesk/service-kit.js';

export type RegistryServer = DemoService;

export interface RegistryServerOptions {
  readonly companies: ReadonlyArray<DemoCompany>;
  readonly port?: number;
  readonly host?: string;
  /** Over a sliding second; 7 like the real API. */
  readonly requestsPerSecond?: number;
}

/** The real API's cap on per_page. */
const MAX_PER_PAGE = 25;

/** SIRENE's abbreviations of street types (type_voie). */
const STREET_TYPES: Readonly<Record<string, string>> = {
  RUE: 'RUE',
  AVENUE: 'AV',
  BOULEVARD: 'BD',
  PLACE: 'PL',
  CHEMIN: 'CHE',
  ALLEE: 'ALL',
  ALLÉE: 'ALL',
  IMPASSE: 'IMP',
  QUAI: 'QUAI',
  ROUTE: 'RTE',
  COURS: 'CRS',
};

export async function startRegistryServer(options: RegistryServerOptions): Promise<RegistryServer> {
  const requestsPerSecond = options.requestsPerSecond ?? 7;
  const results = [...options.companies].sort((a, b) => a.siren.localeCompare(b.siren)).map(toSearchResult);
  let acceptedAt: number[] = [];

  return startService({ port: options.port, host: options.host }, (request) => {
    const now = performance.now();
    acceptedAt = acceptedAt.filter((at) => now - at < 1000);
    if (acceptedAt.length >= requestsPerSecond) {
      return { status: 429, body: { erreur: 'Trop de requêtes, veuillez réessayer plus tard.' }, headers: { 'Retry-After': '1' } };
    }
    acceptedAt.push(now);
    const path = request.url.pathname.replace(/\/+$/, '');
    if (path === '' && request.method === 'GET') return { status: 200, body: { service: 'c360 demo company registry' } };
    if (path !== '/search' || request.method !== 'GET') return { status: 404, body: { erreur: 'Not found' } };
    return malform(search(results, request.url.searchParams), request.malformed);
  });
}

function search(results: ReadonlyArray<SearchResult>, params: URLSearchParams): ServiceReply {
  const q = (params.get('q') ?? '').trim();
  if (q === '') return { status: 400, body: { erreur: 'Veuillez indiquer au moins un paramètre de recherche.' } };
  const page = Number(params.get('page') ?? '1');
  const perPage = Number(params.get('per_page') ?? '10');
  if (!Number.isInteger(page) || page < 1) return { status: 400, body: { erreur: 'Veuillez indiquer un numéro de page entier supérieur à 0.' } };
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    return { status: 400, body: { erreur: `Veuillez indiquer un nombre de résultats par page entier entre 1 et ${MAX_PER_PAGE}.` } };
  }
  // Like the real API: 9 digits is a SIREN, 14 a SIRET (direct lookups), else a text search.
  const digits = q.replace(/\s/g, '');
  const matching = /^\d{9}$/.test(digits)
    ? results.filter((result) => result.siren === digits)
    : /^\d{14}$/.test(digits)
      ? results.filter((result) => result.siege.siret === digits)
      : results.filter((result) => result.nom_complet.toLowerCase().includes(q.toLowerCase()));
  return {
    status: 200,
    body: {
      results: matching.slice((page - 1) * perPage, page * perPage),
      total_results: matching.length,
      page,
      per_page: perPage,
      total_pages: Math.ceil(matching.length / perPage),
    },
  };
}

/** A reply broken the way a misbehaving API breaks them: cut short, reshaped, or a field of the wrong type. */
function malform(reply: ServiceReply, kind: MalformedKind | null): ServiceReply {
  const body = reply.body as { results?: ReadonlyArray<SearchResult> };
  if (kind === null || reply.status !== 200 || body.results === undefined) return reply;
  switch (kind) {
    case 'invalidJson':
      return { ...reply, body: JSON.stringify(body).slice(0, 20) };
    case 'wrongShape':
      return { ...reply, body: { ...body, results: { items: body.results } } };
    case 'wrongType':
      return { ...reply, body: { ...body, results: body.results.map((result) => ({ ...result, date_creation: true })) } };
  }
}

export type SearchResult = ReturnType<typeof toSearchResult>;

/** One company as the API's `result` schema has it (the fields c360 can use, and a few more). */
export function toSearchResult(company: DemoCompany) {
  const street = splitStreet(company.address.street);
  const closed = company.state === 'C';
  return {
    siren: company.siren,
    nom_complet: company.legalName,
    nom_raison_sociale: company.legalName,
    sigle: null,
    nombre_etablissements: 1,
    nombre_etablissements_ouverts: closed ? 0 : 1,
    siege: {
      activite_principale: company.nafCode,
      adresse: [street.numero_voie, street.type_voie, street.libelle_voie, company.address.postcode, company.address.city]
        .filter((part) => part !== null)
        .join(' '),
      code_postal: company.address.postcode,
      date_creation: company.creationDate,
      date_fermeture: company.closedDate,
      est_siege: true,
      etat_administratif: company.state === 'A' ? 'A' : 'F',
      libelle_commune: company.address.city,
      ...street,
      siret: company.siret,
      tranche_effectif_salarie: company.headcountBand,
    },
    activite_principale: company.nafCode,
    categorie_entreprise: 'PME',
    date_creation: company.creationDate,
    date_fermeture: company.closedDate,
    dirigeants: company.executives.map((executive) => ({
      nom: executive.lastName,
      prenoms: executive.firstName,
      qualite: executive.role,
      type_dirigeant: 'personne physique',
    })),
    etat_administratif: company.state,
    section_activite_principale: null,
    tranche_effectif_salarie: company.headcountBand,
    statut_diffusion: 'O',
    matching_etablissements: [],
    finances: Object.fromEntries(company.finances.map((year) => [String(year.year), { ca: year.revenue, resultat_net: year.netIncome }])),
  };
}

function splitStreet(street: string): { numero_voie: string | null; type_voie: string | null; libelle_voie: string } {
  const match = /^(\d+\s*(?:BIS|TER)?)\s+(.*)$/i.exec(street.trim());
  const numero = match?.[1] ?? null;
  const rest = (match?.[2] ?? street.trim()).toUpperCase();
  const [first = '', ...others] = rest.split(/\s+/);
  const type = STREET_TYPES[first];
  return type === undefined
    ? { numero_voie: numero, type_voie: null, libelle_voie: rest }
    : { numero_voie: numero, type_voie: type, libelle_voie: others.join(' ') };
}
