// Enum values, INSEE headcount bands, NAF codes and phones in words, French and English: no raw code on a page.
import { currentLanguage } from './i18n.js';

const ENUMS = {
  fr: {
    CustomerKind: { PERSON: 'Particulier', COMPANY: 'Entreprise' },
    OrderChannel: { WEB: 'Web', STORE: 'Magasin', APP: 'Application', MARKETPLACE: 'Place de marché', PHONE: 'Téléphone', OTHER: 'Autre' },
    OrderStatus: {
      PENDING: 'En attente',
      PAID: 'Payée',
      SHIPPED: 'Expédiée',
      DELIVERED: 'Livrée',
      CANCELLED: 'Annulée',
      RETURNED: 'Retournée',
      OTHER: 'Autre',
    },
    InteractionType: { CALL: 'Appel', MEETING: 'Rendez-vous', EMAIL: 'E-mail', STORE_VISIT: 'Visite en magasin' },
    ConsentStatus: { GRANTED: 'Accordé', DENIED: 'Refusé', WITHDRAWN: 'Retiré' },
    TimelineKind: { ORDER: 'Commande', STORE_VISIT: 'Visite en magasin', INTERACTION: 'Échange CRM', TICKET: 'Ticket SAV' },
    IntentLevel: { NONE: 'Aucune', LOW: 'Faible', MEDIUM: 'Moyenne', HIGH: 'Forte' },
    TicketStatus: { OPEN: 'Ouvert', PENDING: 'En attente', SOLVED: 'Résolu', CLOSED: 'Fermé' },
    TicketPriority: { LOW: 'Basse', NORMAL: 'Normale', HIGH: 'Haute', URGENT: 'Urgente' },
    CompanyState: { ACTIVE: 'Active', CLOSED: 'Fermée' },
    MatchRule: { ANCHOR: 'Fiche de départ', EMAIL: 'Même e-mail', PHONE: 'Même téléphone', EXTERNAL_ID: 'Identifiant croisé', PROBABILISTIC: 'Ressemblance' },
    DataQualityIssueKind: {
      MISSING_EMAIL: 'E-mail manquant',
      MISSING_PHONE: 'Téléphone manquant',
      MISSING_NAME: 'Nom manquant',
      MISSING_POSTCODE: 'Code postal manquant',
      JUNK_EMAIL: 'E-mail factice',
      SHARED_EMAIL: 'E-mail partagé',
      STALE: 'Fiche ancienne',
    },
    SegmentFamily: { GRID: 'Grille RFM', MARKETING: 'Marketing' },
    SearchMatch: {
      EMAIL: 'e-mail',
      PHONE: 'téléphone',
      SIRET: 'SIRET',
      SIREN: 'SIREN',
      NAME: 'nom',
      COMPANY: 'raison sociale',
      CITY: 'ville',
      NAME_SIMILAR: 'nom proche',
    },
  },
  en: {
    CustomerKind: { PERSON: 'Person', COMPANY: 'Company' },
    OrderChannel: { WEB: 'Web', STORE: 'Store', APP: 'App', MARKETPLACE: 'Marketplace', PHONE: 'Phone', OTHER: 'Other' },
    OrderStatus: { PENDING: 'Pending', PAID: 'Paid', SHIPPED: 'Shipped', DELIVERED: 'Delivered', CANCELLED: 'Cancelled', RETURNED: 'Returned', OTHER: 'Other' },
    InteractionType: { CALL: 'Call', MEETING: 'Meeting', EMAIL: 'Email', STORE_VISIT: 'Store visit' },
    ConsentStatus: { GRANTED: 'Granted', DENIED: 'Denied', WITHDRAWN: 'Withdrawn' },
    TimelineKind: { ORDER: 'Order', STORE_VISIT: 'Store visit', INTERACTION: 'CRM interaction', TICKET: 'Support ticket' },
    IntentLevel: { NONE: 'None', LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High' },
    TicketStatus: { OPEN: 'Open', PENDING: 'Pending', SOLVED: 'Solved', CLOSED: 'Closed' },
    TicketPriority: { LOW: 'Low', NORMAL: 'Normal', HIGH: 'High', URGENT: 'Urgent' },
    CompanyState: { ACTIVE: 'Active', CLOSED: 'Closed' },
    MatchRule: { ANCHOR: 'Starting record', EMAIL: 'Same email', PHONE: 'Same phone', EXTERNAL_ID: 'Cross-reference', PROBABILISTIC: 'Likeness' },
    DataQualityIssueKind: {
      MISSING_EMAIL: 'Missing email',
      MISSING_PHONE: 'Missing phone',
      MISSING_NAME: 'Missing name',
      MISSING_POSTCODE: 'Missing postcode',
      JUNK_EMAIL: 'Junk email',
      SHARED_EMAIL: 'Shared email',
      STALE: 'Stale record',
    },
    SegmentFamily: { GRID: 'RFM grid', MARKETING: 'Marketing' },
    SearchMatch: {
      EMAIL: 'email',
      PHONE: 'phone',
      SIRET: 'SIRET',
      SIREN: 'SIREN',
      NAME: 'name',
      COMPANY: 'company name',
      CITY: 'city',
      NAME_SIMILAR: 'similar name',
    },
  },
};

/** INSEE "tranche d'effectif salarié" codes. */
const HEADCOUNT_BANDS = {
  NN: ['Non employeuse', 'No employees'],
  '00': ['0 salarié', '0 employees'],
  '01': ['1 ou 2 salariés', '1 or 2 employees'],
  '02': ['3 à 5 salariés', '3 to 5 employees'],
  '03': ['6 à 9 salariés', '6 to 9 employees'],
  11: ['10 à 19 salariés', '10 to 19 employees'],
  12: ['20 à 49 salariés', '20 to 49 employees'],
  21: ['50 à 99 salariés', '50 to 99 employees'],
  22: ['100 à 199 salariés', '100 to 199 employees'],
  31: ['200 à 249 salariés', '200 to 249 employees'],
  32: ['250 à 499 salariés', '250 to 499 employees'],
  41: ['500 à 999 salariés', '500 to 999 employees'],
  42: ['1 000 à 1 999 salariés', '1,000 to 1,999 employees'],
  51: ['2 000 à 4 999 salariés', '2,000 to 4,999 employees'],
  52: ['5 000 à 9 999 salariés', '5,000 to 9,999 employees'],
  53: ['10 000 salariés et plus', '10,000 employees or more'],
};

export function enumLabel(type, value) {
  if (value == null) return '—';
  return ENUMS[currentLanguage()][type]?.[value] ?? ENUMS.fr[type]?.[value] ?? String(value);
}

export function headcountLabel(code) {
  if (code == null) return '—';
  const band = HEADCOUNT_BANDS[String(code)];
  return band === undefined ? String(code) : band[currentLanguage() === 'fr' ? 0 : 1];
}

/**
 * NAF rév. 2 labels: in French INSEE's, for every level down to the subclass (the
 * @socialgouv/codes-naf package, served as /ui/vendor/naf-fr.json); in English Eurostat's
 * NACE Rev. 2 (./nace-en.js), which NAF refines only below the class, so a subclass
 * (47.71Z) reads as its class (47.71). Loaded once, on the first page that shows a code.
 */
let nafTables;
export function loadNafLabels() {
  nafTables ??= Promise.all([
    fetch('/ui/vendor/naf-fr.json')
      .then((response) => (response.ok ? response.json() : []))
      .catch(() => []),
    import('./nace-en.js'),
  ]).then(([french, english]) => (nafLoaded = { fr: new Map(french.map((entry) => [entry.id, entry.label])), en: english }));
  return nafTables;
}
let nafLoaded;

/** The activity of a NAF code in the page's language (after loadNafLabels); `registryLabel` (French) when the tables lack it. */
export function nafLabel(code, registryLabel = null) {
  if (code == null) return registryLabel ?? '—';
  const naf = String(code).trim().toUpperCase();
  if (currentLanguage() === 'fr') return nafLoaded?.fr.get(naf) ?? registryLabel ?? naf;
  const english = nafLoaded?.en;
  if (english === undefined) return naf;
  if (/^[A-U]$/.test(naf)) return english.NACE_SECTIONS_EN[naf] ?? naf;
  // 47.71Z -> 47.71, the NACE class it refines; 4771Z (no dot) too.
  const dotted = naf.replace(/^(\d\d)(\d)/, '$1.$2');
  const nace = /^\d\d\.\d\d[A-Z]$/.test(dotted) ? dotted.slice(0, 5) : dotted;
  return english.NACE_EN[nace] ?? naf;
}

/** +33612345678 as French staff write it (06 12 34 56 78), or internationally (+33 6 12 34 56 78). */
export function formatPhone(e164) {
  if (e164 == null) return '—';
  const french = /^\+33(\d)(\d{8})$/.exec(e164);
  if (french === null) return e164;
  const pairs = french[2].match(/\d\d/g).join(' ');
  return currentLanguage() === 'fr' ? `0${french[1]} ${pairs}` : `+33 ${french[1]} ${pairs}`;
}
