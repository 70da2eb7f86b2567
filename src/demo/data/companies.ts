/** Companies of the demo: business customers of the retailer and their registry entries. */

export interface NafActivity {
  /** NAF rév. 2 code as the registry writes it. */
  readonly code: string;
  readonly label: string;
  /** The sector as a CRM user would file the account. */
  readonly industry: string;
  /** First word of a trade name in this activity ("Hôtel Lumière"). */
  readonly nameKind: string;
}

export const NAF_ACTIVITIES: ReadonlyArray<NafActivity> = [
  { code: '47.71Z', label: "Commerce de détail d'habillement en magasin spécialisé", industry: 'Commerce de détail', nameKind: 'Boutique' },
  { code: '56.10A', label: 'Restauration traditionnelle', industry: 'Restauration', nameKind: 'Brasserie' },
  { code: '55.10Z', label: 'Hôtels et hébergement similaire', industry: 'Hôtellerie', nameKind: 'Hôtel' },
  { code: '62.01Z', label: 'Programmation informatique', industry: 'Informatique', nameKind: 'Studio' },
  { code: '70.22Z', label: 'Conseil pour les affaires et autres conseils de gestion', industry: 'Conseil', nameKind: 'Cabinet' },
  { code: '96.02A', label: 'Coiffure', industry: 'Coiffure et esthétique', nameKind: 'Salon' },
  { code: '96.02B', label: 'Soins de beauté', industry: 'Coiffure et esthétique', nameKind: 'Institut' },
  { code: '93.13Z', label: 'Activités des centres de culture physique', industry: 'Sport et loisirs', nameKind: 'Club' },
  { code: '85.59A', label: 'Formation continue d’adultes', industry: 'Formation', nameKind: 'Académie' },
  { code: '41.20A', label: 'Construction de maisons individuelles', industry: 'BTP', nameKind: 'Maisons' },
  { code: '86.21Z', label: 'Activité des médecins généralistes', industry: 'Santé', nameKind: 'Centre médical' },
  { code: '73.11Z', label: 'Activités des agences de publicité', industry: 'Communication', nameKind: 'Agence' },
];

/** INSEE "tranche d'effectif salarié" codes, with the weight of each among customers. */
export const HEADCOUNT_BANDS: ReadonlyArray<readonly [string, number]> = [
  ['00', 8], // 0 salarié
  ['01', 12], // 1 ou 2
  ['02', 12], // 3 à 5
  ['03', 12], // 6 à 9
  ['11', 14], // 10 à 19
  ['12', 14], // 20 à 49
  ['21', 10], // 50 à 99
  ['22', 8], // 100 à 199
  ['31', 5], // 200 à 249
  ['32', 3], // 250 à 499
  ['41', 2], // 500 à 999
];

export const COMPANY_NAME_STEMS: ReadonlyArray<string> = [
  'Lumière',
  'Horizon',
  'Atlantique',
  'Provence',
  'Bretagne Conseil',
  'Cévennes',
  'Alpes',
  'Garonne',
  'Val de Loire',
  'Rhône',
  'Métropole',
  'Étoile',
  'Confluence',
  'Azur',
  'Vosges',
  'Océan',
  'Saint-Germain',
  'Montmartre',
  'Belle Époque',
  'Quatre Saisons',
];

export const LEGAL_FORMS: ReadonlyArray<readonly [string, number]> = [
  ['SAS', 45],
  ['SARL', 30],
  ['SA', 8],
  ['EURL', 10],
  ['SASU', 7],
];

export const EXECUTIVE_ROLES: ReadonlyArray<string> = ['Président', 'Directeur général', 'Gérant', 'Directeur général délégué'];
