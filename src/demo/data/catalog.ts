/** The retailer's catalogue and stores: what the demo shop sells and where. */

export interface CategorySpec {
  readonly name: string;
  /** SKU prefix. */
  readonly code: string;
  readonly items: ReadonlyArray<string>;
  readonly brands: ReadonlyArray<string>;
  readonly minPrice: number;
  readonly maxPrice: number;
  /** What people type into the search box when they want this category. */
  readonly searches: ReadonlyArray<string>;
}

export const CATEGORIES: ReadonlyArray<CategorySpec> = [
  {
    name: 'Mode',
    code: 'MOD',
    items: [
      'Robe portefeuille',
      'Chemise en lin',
      'Pull col roulé',
      'Jean droit',
      'Veste en jean',
      'Trench classique',
      'T-shirt coton bio',
      'Blazer ajusté',
      'Jupe plissée',
      'Doudoune légère',
    ],
    brands: ['Maison Lumière', 'Atelier Rive Gauche', 'Petit Bateau', 'Comptoir des Cotonniers', 'Le Slip Français'],
    minPrice: 19.9,
    maxPrice: 249,
    searches: ['robe', 'robe été', 'jean femme', 'pull laine', 'veste homme', 'trench'],
  },
  {
    name: 'Chaussures',
    code: 'CHA',
    items: ['Baskets en cuir', 'Bottines à talon', 'Mocassins', 'Sandales tressées', 'Chaussures de running', 'Espadrilles', 'Derbies'],
    brands: ['Veja', 'Pataugas', 'Aigle', 'Mephisto', 'Kickers'],
    minPrice: 29.9,
    maxPrice: 219,
    searches: ['baskets', 'bottines', 'chaussures running', 'sandales', 'espadrilles'],
  },
  {
    name: 'Beauté',
    code: 'BEA',
    items: ['Crème hydratante', 'Sérum anti-âge', 'Eau de parfum 50 ml', 'Rouge à lèvres mat', 'Huile sèche', 'Shampooing doux', 'Coffret soin'],
    brands: ['Nuxe', 'Caudalie', 'La Roche-Posay', 'Avène', "L'Occitane"],
    minPrice: 8.9,
    maxPrice: 129,
    searches: ['parfum', 'crème visage', 'sérum', 'coffret cadeau', 'huile sèche'],
  },
  {
    name: 'Maison',
    code: 'MAI',
    items: ['Plaid en laine', 'Bougie parfumée', 'Service à café', 'Lampe de chevet', 'Parure de lit', 'Cocotte en fonte', 'Vase en grès'],
    brands: ['Le Creuset', 'Sézane Maison', 'Diptyque', 'Garnier-Thiebaut', 'Jars Céramistes'],
    minPrice: 14.9,
    maxPrice: 329,
    searches: ['plaid', 'bougie', 'cocotte', 'linge de lit', 'lampe'],
  },
  {
    name: 'Sport',
    code: 'SPO',
    items: ['Tapis de yoga', 'Raquette de tennis', 'Sac de randonnée 30 L', 'Legging de sport', 'Gourde isotherme', 'Vélo d’appartement', 'Haltères 2 × 5 kg'],
    brands: ['Décathlon Pro', 'Lafuma', 'Babolat', 'Millet', 'Rossignol'],
    minPrice: 9.9,
    maxPrice: 499,
    searches: ['tapis yoga', 'raquette', 'sac à dos', 'vélo', 'legging'],
  },
  {
    name: 'High-tech',
    code: 'HTE',
    items: ['Casque Bluetooth', 'Enceinte portable', 'Montre connectée', 'Liseuse', 'Chargeur rapide', 'Écouteurs sans fil', 'Tablette 10 pouces'],
    brands: ['Archos', 'Withings', 'Parrot', 'Devialet', 'Kobo'],
    minPrice: 19.9,
    maxPrice: 899,
    searches: ['casque bluetooth', 'montre connectée', 'enceinte', 'tablette', 'écouteurs'],
  },
];

export interface DemoStore {
  readonly id: string;
  readonly city: string;
}

/** The retailer's stores; ids are city code + number, e.g. "PAR-01". */
export const STORES: ReadonlyArray<DemoStore> = [
  { id: 'PAR-01', city: 'Paris' },
  { id: 'PAR-02', city: 'Paris' },
  { id: 'PAR-03', city: 'Boulogne-Billancourt' },
  { id: 'LYO-01', city: 'Lyon' },
  { id: 'MAR-01', city: 'Marseille' },
  { id: 'TLS-01', city: 'Toulouse' },
  { id: 'NCE-01', city: 'Nice' },
  { id: 'NTE-01', city: 'Nantes' },
  { id: 'STR-01', city: 'Strasbourg' },
  { id: 'MPL-01', city: 'Montpellier' },
  { id: 'BOD-01', city: 'Bordeaux' },
  { id: 'LIL-01', city: 'Lille' },
  { id: 'RNS-01', city: 'Rennes' },
];

/** The stores of a city code ("PAR" -> PAR-01, PAR-02, PAR-03). */
export function storesOf(code: string): ReadonlyArray<DemoStore> {
  const found = STORES.filter((store) => store.id.startsWith(`${code}-`));
  return found.length > 0 ? found : STORES;
}

/** CRM and helpdesk agents (first name and last name initial, as CRMs display them). */
export const AGENTS: ReadonlyArray<string> = [
  'Claire M.',
  'Julien B.',
  'Sophie L.',
  'Karim A.',
  'Émilie R.',
  'Thomas G.',
  'Nadia H.',
  'Lucas P.',
  'Inès D.',
  'Marc V.',
];
