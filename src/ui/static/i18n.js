// French first (the first users are French marketing and service teams), English on request.
const LABELS = {
  fr: {
    appTitle: 'c360 — client 360°',
    navCustomer: 'Fiche client 360°',
    navSegments: 'Tableau de bord des segments',
    navExplorer: 'Explorateur GraphQL',
    language: 'Langue',
    searchLabel: 'Rechercher un client',
    searchButton: 'Rechercher',
    searching: 'Recherche…',
    noResults: 'Aucun client trouvé.',
    results: 'Résultats',
    loading: 'Chargement…',
    notAvailable: 'Non disponible sur ce serveur c360.',
    outage: 'Source indisponible : {source}. Les autres panneaux restent à jour.',
    failed: 'Erreur : {message}',
    empty: 'Aucune donnée.',
    pickCustomer: 'Choisissez un client dans les résultats de recherche.',
    profile: 'Profil consolidé',
    segments: 'RFM et segments',
    intent: "Intention d'achat",
    orders: 'Commandes',
    tickets: 'Tickets SAV',
    company: 'Entreprise (registre)',
    timeline: 'Chronologie',
    dataQuality: 'Qualité des données',
    consents: 'Consentements',
    source: 'source',
    updated: 'mis à jour le {date}',
    noCompany: "Ce client n'est rattaché à aucune entreprise.",
    dashboardTitle: 'Segments clients',
    customersPerSegment: 'Clients par segment',
    revenuePerSegment: "Chiffre d'affaires par segment",
    intentDistribution: "Répartition de l'intention d'achat",
    dataQualitySummary: 'Synthèse de la qualité des données',
    showTable: 'Les chiffres en tableau',
    total: 'Total',
    lines: 'lignes',
    openTickets: 'Tickets ouverts',
    lastContact: 'Dernier contact',
    satisfaction: 'Satisfaction moyenne',
    explorerExamples: 'Exemples',
    factName: 'Nom', factEmail: 'E-mail', factPhone: 'Téléphone', factAddress: 'Adresse',
    sourceRecords: 'Enregistrements sources',
    marketing: 'marketing', noRfm: 'Aucune commande dans la fenêtre RFM.', segmentsOf: 'Segments',
    yes: 'oui', no: 'non', pointsTo: 'Produits visés', valid: 'valide', invalid: 'invalide',
    warnStale: 'Aucune mise à jour depuis deux ans.', warnInvalid: '{field} invalide.', warnConflict: 'Les sources divergent sur : {field}.',
    warnDuplicates: '{count} doublon(s) possible(s) à vérifier.', noWarnings: 'Aucun avertissement.', conflicts: 'Conflits entre sources', duplicates: 'Doublons possibles',
    intentAccounts: "{count} comptes de la boutique avec un événement web ou appli récent, par niveau d'intention d'après leurs événements.", grid: 'Grille RFM', marketingSegments: 'Segments marketing', issues: 'Problèmes par source', records: 'Enregistrements par source',
    skip: 'Aller aux panneaux',
    silos: 'Sources', moreResults: 'Plus de résultats', resultCount: '{count} client(s) trouvé(s)',
    searchHint: 'Nom et prénom dans un ordre ou l\'autre, e-mail, téléphone, SIREN/SIRET, raison sociale ou ville.',
    timelineNewest: 'Les plus récents d\'abord.', olderEntries: 'Entrées plus anciennes', filterKind: 'Type', filterSource: 'Source', allKinds: 'Tous les types', allSources: 'Toutes les sources',
    signIn: 'Se connecter', signOut: 'Se déconnecter', signInTitle: 'Connexion', apiKey: 'Clé d\'API', jwt: 'Jeton (JWT)', signInWithProvider: 'Se connecter avec le fournisseur d\'identité',
    signedInAs: 'Connecté : {who}', signInNeeded: 'Ce serveur demande une connexion.', signInFailed: 'Connexion refusée : {message}',
    forbiddenField: 'Votre rôle ne permet pas de voir ce champ.', forbiddenFields: 'Votre rôle ne permet pas de voir : {fields}.', noConsentFields: 'Sans consentement du client, non affiché : {fields}.', noConsentField: 'Non affiché : le client n\'a pas consenti à ce traitement.', unauthenticated: 'Connectez-vous pour voir ce panneau.',
    header: 'En bref', revenue: 'Chiffre d\'affaires', orderCount: 'Commandes', lastPurchase: 'Dernier achat', rfmSegment: 'Segment RFM', intentLevel: 'Intention', mayEmail: 'Peut être contacté par e-mail', maySms: 'Peut être contacté par SMS',
    openSegmentOf: 'Voir les membres : {segment} ({count})',
    compareTitle: 'Comparer deux dates', compareFrom: 'Du', compareTo: 'Au', compare: 'Comparer', compareCaption: 'Segments au {from} et au {to}',
    oneLine: '{count} ligne', manyLines: '{count} lignes',
    purpose_marketing_email: 'Prospection par e-mail', purpose_marketing_sms: 'Prospection par SMS', purpose_profiling: 'Profilage', purpose_analytics: 'Mesure d\'audience', purpose_partner_sharing: 'Partage avec des partenaires',
    channel_email: 'E-mail', channel_sms: 'SMS', channel_phone: 'Téléphone', channel_post: 'Courrier', channel_all: 'Tous canaux',
    members: 'Membres du segment', downloadCsv: 'Télécharger la liste (CSV)', sortBy: 'Trier par', byRevenue: 'chiffre d\'affaires', byRecency: 'récence', openSegment: 'Voir les membres',
    timelinePartial: 'Chronologie partielle (commandes et interactions) : {source} indisponible.',
  },
  en: {
    appTitle: 'c360 — customer 360',
    navCustomer: 'Customer 360',
    navSegments: 'Segments dashboard',
    navExplorer: 'GraphQL explorer',
    language: 'Language',
    searchLabel: 'Search a customer',
    searchButton: 'Search',
    searching: 'Searching…',
    noResults: 'No customer found.',
    results: 'Results',
    loading: 'Loading…',
    notAvailable: 'Not available on this c360 server.',
    outage: 'Source unavailable: {source}. The other panels are up to date.',
    failed: 'Error: {message}',
    empty: 'No data.',
    pickCustomer: 'Pick a customer from the search results.',
    profile: 'Golden profile',
    segments: 'RFM and segments',
    intent: 'Purchase intent',
    orders: 'Orders',
    tickets: 'Support tickets',
    company: 'Company (registry)',
    timeline: 'Timeline',
    dataQuality: 'Data quality',
    consents: 'Consents',
    source: 'source',
    updated: 'updated {date}',
    noCompany: 'This customer belongs to no company.',
    dashboardTitle: 'Customer segments',
    customersPerSegment: 'Customers per segment',
    revenuePerSegment: 'Revenue per segment',
    intentDistribution: 'Purchase intent distribution',
    dataQualitySummary: 'Data quality summary',
    showTable: 'The numbers as a table',
    total: 'Total',
    lines: 'lines',
    openTickets: 'Open tickets',
    lastContact: 'Last contact',
    satisfaction: 'Average satisfaction',
    explorerExamples: 'Examples',
    factName: 'Name', factEmail: 'Email', factPhone: 'Phone', factAddress: 'Address',
    sourceRecords: 'Source records',
    marketing: 'marketing', noRfm: 'No order in the RFM window.', segmentsOf: 'Segments',
    yes: 'yes', no: 'no', pointsTo: 'Products pointed to', valid: 'valid', invalid: 'invalid',
    warnStale: 'No update for two years.', warnInvalid: 'Invalid {field}.', warnConflict: 'Sources disagree on: {field}.',
    warnDuplicates: '{count} possible duplicate(s) to review.', noWarnings: 'No warning.', conflicts: 'Conflicts between sources', duplicates: 'Possible duplicates',
    intentAccounts: '{count} shop accounts with a recent web or app event, per intent level from their events.', grid: 'RFM grid', marketingSegments: 'Marketing segments', issues: 'Issues per source', records: 'Records per source',
    skip: 'Skip to the panels',
    timelinePartial: 'Partial timeline (orders and interactions): {source} unavailable.',
    silos: 'Sources', moreResults: 'More results', resultCount: '{count} customer(s) found',
    searchHint: 'First and last name in either order, email, phone, SIREN/SIRET, company name or city.',
    timelineNewest: 'Newest first.', olderEntries: 'Older entries', filterKind: 'Kind', filterSource: 'Source', allKinds: 'All kinds', allSources: 'All sources',
    signIn: 'Sign in', signOut: 'Sign out', signInTitle: 'Sign in', apiKey: 'API key', jwt: 'Token (JWT)', signInWithProvider: 'Sign in with the identity provider',
    signedInAs: 'Signed in: {who}', signInNeeded: 'This server asks you to sign in.', signInFailed: 'Sign-in refused: {message}',
    forbiddenField: 'Your role may not see this field.', forbiddenFields: 'Your role may not see: {fields}.', noConsentFields: 'Not shown without the customer\'s consent: {fields}.', noConsentField: 'Not shown: the customer has not consented to this use.', unauthenticated: 'Sign in to see this panel.',
    header: 'At a glance', revenue: 'Revenue', orderCount: 'Orders', lastPurchase: 'Last purchase', rfmSegment: 'RFM segment', intentLevel: 'Intent', mayEmail: 'May be contacted by email', maySms: 'May be contacted by SMS',
    openSegmentOf: 'See the members: {segment} ({count})',
    compareTitle: 'Compare two dates', compareFrom: 'From', compareTo: 'To', compare: 'Compare', compareCaption: 'Segments on {from} and on {to}',
    oneLine: '{count} line', manyLines: '{count} lines',
    purpose_marketing_email: 'Email marketing', purpose_marketing_sms: 'SMS marketing', purpose_profiling: 'Profiling', purpose_analytics: 'Audience measurement', purpose_partner_sharing: 'Sharing with partners',
    channel_email: 'Email', channel_sms: 'SMS', channel_phone: 'Phone', channel_post: 'Post', channel_all: 'All channels',
    members: 'Segment members', downloadCsv: 'Download the list (CSV)', sortBy: 'Sort by', byRevenue: 'revenue', byRecency: 'recency', openSegment: 'See the members',
  },
};

/** Field names shown as column or row labels; unknown ones are spelled out from camelCase. */
const FIELD_LABELS = {
  fr: {
    email: 'E-mail', phone: 'Téléphone', address: 'Adresse', name: 'Nom', displayName: 'Nom',
    placedAt: 'Date', channel: 'Canal', status: 'Statut', total: 'Total', priority: 'Priorité',
    subject: 'Objet', createdAt: 'Créé le', solvedAt: 'Résolu le', purpose: 'Finalité', recordedAt: 'Enregistré le',
    legalName: 'Raison sociale', siren: 'SIREN', siret: 'SIRET', nafLabel: 'Activité', nafCode: 'Code NAF',
    headcountBand: "Tranche d'effectif", creationDate: 'Créée le', state: 'État', revenue: "Chiffre d'affaires",
    customers: 'Clients', shopAccounts: 'Comptes boutique', customerCount: 'Clients', count: 'Nombre', segment: 'Segment', level: 'Niveau', score: 'Score',
    averageBasket: 'Panier moyen', revenueShare: 'Part du CA', share: 'Part', kind: 'Type', at: 'Date', source: 'Source',
    quantity: 'Quantité', productName: 'Produit', unitPrice: 'Prix unitaire', lineTotal: 'Total ligne',
    rfmCode: 'Code RFM', recencyDays: 'Récence (jours)', frequency: 'Fréquence', monetary: 'Montant', lastPurchaseAt: 'Dernier achat',
    windowDays: 'Fenêtre (jours)', aboutToBuy: "Sur le point d'acheter", lastSignalAt: 'Dernier signal', categories: 'Catégories',
    completeness: 'Complétude', emailValid: 'E-mail', phoneValid: 'Téléphone', postcodeValid: 'Code postal', siretValid: 'SIRET',
    lastUpdatedAt: 'Dernière mise à jour', field: 'Champ', values: 'Valeurs', entity: 'Entité', key: 'Clé', postcode: 'Code postal',
    intent: "Intention d'achat", customersFrom: 'Clients (début)', customersTo: 'Clients (fin)', change: 'Écart', revenueFrom: 'CA (début)', revenueTo: 'CA (fin)', displayName: 'Client', city: 'Ville', monetary: 'Montant',
    what: 'Quoi', family: 'Famille', shareOfRevenue: 'Part du CA', intentLevel: "Niveau d'intention", category: 'Catégorie',
  },
  en: { customersFrom: 'Customers (from)', customersTo: 'Customers (to)', change: 'Change', revenueFrom: 'Revenue (from)', revenueTo: 'Revenue (to)', displayName: 'Customer', rfmCode: 'RFM code', recencyDays: 'Recency (days)', windowDays: 'Window (days)', emailValid: 'Email', phoneValid: 'Phone', postcodeValid: 'Postcode', siretValid: 'SIRET', shareOfRevenue: 'Share of revenue' },
};

const STORAGE_KEY = 'c360.lang';

export function currentLanguage() {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'fr' || asked === 'en') return asked;
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'fr';
}

export function setLanguage(lang) {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}

export function t(key, params = {}) {
  const text = LABELS[currentLanguage()][key] ?? LABELS.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

/** The label of `key`, or `fallback` when there is none (a purpose or channel the pages do not know). */
export function tOr(key, fallback) {
  return LABELS[currentLanguage()][key] ?? LABELS.fr[key] ?? fallback;
}

export function fieldLabel(name) {
  const known = FIELD_LABELS[currentLanguage()][name];
  if (known !== undefined) return known;
  const words = name.replace(/\./g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(currentLanguage() === 'fr' ? 'fr-FR' : 'en-GB', options).format(value);
}

export function formatMoney(value, currency = 'EUR') {
  return formatNumber(value, { style: 'currency', currency: currency ?? 'EUR' });
}

export function formatDate(iso, withTime = false) {
  if (iso == null) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const locale = currentLanguage() === 'fr' ? 'fr-FR' : 'en-GB';
  return withTime ? date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' }) : date.toLocaleDateString(locale, { dateStyle: 'medium' });
}

/** Fills every [data-i18n] element and wires the language picker (a labelled <select>). */
export function applyLabels(onChange) {
  document.documentElement.lang = currentLanguage();
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  const picker = document.getElementById('language');
  if (picker !== null) {
    picker.value = currentLanguage();
    picker.onchange = () => {
      setLanguage(picker.value);
      const url = new URL(location.href);
      url.searchParams.delete('lang');
      history.replaceState(null, '', url);
      applyLabels(onChange);
      onChange?.();
    };
  }
}
