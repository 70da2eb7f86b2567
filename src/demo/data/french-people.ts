/**
 * French names, cities and streets the demo people are drawn from. Real cities with their
 * real postcodes, so that address normalization and the registry look plausible.
 */

export const FEMALE_FIRST_NAMES: ReadonlyArray<string> = [
  'Marie', 'Camille', 'Léa', 'Chloé', 'Manon', 'Inès', 'Zoé', 'Amélie', 'Hélène', 'Céline',
  'Élodie', 'Noémie', 'Anaïs', 'Maëlle', 'Gaëlle', 'Françoise', 'Isabelle', 'Nathalie', 'Sophie', 'Julie',
  'Émilie', 'Aurélie', 'Laëtitia', 'Clémence', 'Océane', 'Mathilde', 'Pauline', 'Juliette', 'Louise', 'Alice',
  'Marie-Claire', 'Anne-Sophie', 'Marie-Hélène', 'Sandrine', 'Valérie', 'Brigitte', 'Josiane', 'Agnès', 'Bérénice', 'Héloïse',
];

export const MALE_FIRST_NAMES: ReadonlyArray<string> = [
  'Jean', 'Pierre', 'Louis', 'Lucas', 'Hugo', 'Théo', 'Léo', 'Raphaël', 'Gabriel', 'Arthur',
  'Jérôme', 'Stéphane', 'François', 'Frédéric', 'Benoît', 'Hervé', 'Grégoire', 'Loïc', 'Joël', 'André',
  'Clément', 'Mathieu', 'Nicolas', 'Julien', 'Thomas', 'Antoine', 'Olivier', 'Sébastien', 'Cédric', 'Rémi',
  'Jean-Pierre', 'Jean-Baptiste', 'Jean-Luc', 'Pierre-Yves', 'Noël', 'Gaël', 'Anaël', 'Yannick', 'Éric', 'Bruno',
];

export const LAST_NAMES: ReadonlyArray<string> = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
  'Simon', 'Laurent', 'Lefèbvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
  'Morel', 'Girard', 'André', 'Lefèvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez',
  'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas',
  'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin',
  'Masson', 'Sanchez', 'Gérard', 'Nguyen', 'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier',
  'Roger', 'Roche', 'Roy', 'Noël', 'Meyer', 'Lucas', 'Meunier', 'Pérez', 'Marchand', 'Dufour',
  'Blanchard', 'Barbier', 'Brun', 'Dumas', 'Brunet', 'Schmitt', 'Leroux', 'Colin', 'Fernandez', 'Renard',
  'Arnaud', 'Rolland', 'Caron', 'Aubert', 'Giraud', 'Leclerc', 'Vidal', 'Bourgeois', 'Renaud', 'Lemoine',
  'Picard', 'Gaillard', 'Lacroix', 'Fabre', 'Dupuis', 'Da Silva', 'Le Gall', 'Le Goff', 'Rivière', 'Ménard',
  'Prévost', 'Carré', 'Rémy', 'Lebœuf', 'Bénard', 'Hébert', 'Lévêque', 'Kergoat', 'Nicolaï', 'Benali',
];

/** Noble particles and compound surnames, drawn for a few people. */
export const PARTICLES: ReadonlyArray<string> = ['de', 'de La', 'du', "d'"];
export const PARTICLE_NAMES: ReadonlyArray<string> = ['Villiers', 'Fontenay', 'Montfort', 'Rochefort', 'Arcy', 'Beaumont', 'Castelnau', 'Aubigné'];

export interface FrenchCity {
  readonly name: string;
  readonly postcodes: ReadonlyArray<string>;
  /** Prefix of the nearest store's id, e.g. "PAR". */
  readonly store: string;
  readonly weight: number;
  /** Landline prefix of the region (01 Île-de-France … 05 south-west). */
  readonly landline: '01' | '02' | '03' | '04' | '05';
}

const arrondissements = (base: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => String(base + i + 1).padStart(5, '0'));

export const CITIES: ReadonlyArray<FrenchCity> = [
  { name: 'Paris', postcodes: arrondissements(75000, 20), store: 'PAR', weight: 18, landline: '01' },
  { name: 'Lyon', postcodes: arrondissements(69000, 9), store: 'LYO', weight: 6, landline: '04' },
  { name: 'Marseille', postcodes: arrondissements(13000, 16), store: 'MAR', weight: 6, landline: '04' },
  { name: 'Toulouse', postcodes: ['31000', '31100', '31200', '31300', '31400', '31500'], store: 'TLS', weight: 5, landline: '05' },
  { name: 'Nice', postcodes: ['06000', '06100', '06200', '06300'], store: 'NCE', weight: 4, landline: '04' },
  { name: 'Nantes', postcodes: ['44000', '44100', '44200', '44300'], store: 'NTE', weight: 4, landline: '02' },
  { name: 'Strasbourg', postcodes: ['67000', '67100', '67200'], store: 'STR', weight: 3, landline: '03' },
  { name: 'Montpellier', postcodes: ['34000', '34070', '34080', '34090'], store: 'MPL', weight: 3, landline: '04' },
  { name: 'Bordeaux', postcodes: ['33000', '33100', '33200', '33300', '33800'], store: 'BOD', weight: 4, landline: '05' },
  { name: 'Lille', postcodes: ['59000', '59160', '59260', '59777', '59800'], store: 'LIL', weight: 4, landline: '03' },
  { name: 'Rennes', postcodes: ['35000', '35200', '35700'], store: 'RNS', weight: 3, landline: '02' },
  { name: 'Reims', postcodes: ['51100'], store: 'LIL', weight: 1, landline: '03' },
  { name: 'Le Havre', postcodes: ['76600', '76610', '76620'], store: 'PAR', weight: 1, landline: '02' },
  { name: 'Saint-Étienne', postcodes: ['42000', '42100'], store: 'LYO', weight: 1, landline: '04' },
  { name: 'Toulon', postcodes: ['83000', '83100', '83200'], store: 'MAR', weight: 1, landline: '04' },
  { name: 'Grenoble', postcodes: ['38000', '38100'], store: 'LYO', weight: 2, landline: '04' },
  { name: 'Dijon', postcodes: ['21000'], store: 'LYO', weight: 1, landline: '03' },
  { name: 'Angers', postcodes: ['49000', '49100'], store: 'NTE', weight: 1, landline: '02' },
  { name: 'Nîmes', postcodes: ['30000', '30900'], store: 'MPL', weight: 1, landline: '04' },
  { name: 'Villeurbanne', postcodes: ['69100'], store: 'LYO', weight: 1, landline: '04' },
  { name: 'Clermont-Ferrand', postcodes: ['63000', '63100'], store: 'LYO', weight: 1, landline: '04' },
  { name: 'Aix-en-Provence', postcodes: ['13090', '13100', '13290'], store: 'MAR', weight: 1, landline: '04' },
  { name: 'Brest', postcodes: ['29200'], store: 'RNS', weight: 1, landline: '02' },
  { name: 'Tours', postcodes: ['37000', '37100', '37200'], store: 'NTE', weight: 1, landline: '02' },
  { name: 'Amiens', postcodes: ['80000', '80080', '80090'], store: 'LIL', weight: 1, landline: '03' },
  { name: 'Limoges', postcodes: ['87000', '87100', '87280'], store: 'BOD', weight: 1, landline: '05' },
  { name: 'Annecy', postcodes: ['74000', '74370', '74960'], store: 'LYO', weight: 1, landline: '04' },
  { name: 'Perpignan', postcodes: ['66000', '66100'], store: 'MPL', weight: 1, landline: '04' },
  { name: 'Boulogne-Billancourt', postcodes: ['92100'], store: 'PAR', weight: 2, landline: '01' },
  { name: 'Metz', postcodes: ['57000', '57050', '57070'], store: 'STR', weight: 1, landline: '03' },
  { name: 'Besançon', postcodes: ['25000'], store: 'STR', weight: 1, landline: '03' },
  { name: 'Orléans', postcodes: ['45000', '45100'], store: 'PAR', weight: 1, landline: '02' },
  { name: 'Saint-Denis', postcodes: ['93200', '93210'], store: 'PAR', weight: 1, landline: '01' },
  { name: 'Rouen', postcodes: ['76000', '76100'], store: 'PAR', weight: 1, landline: '02' },
  { name: 'Mulhouse', postcodes: ['68100', '68200'], store: 'STR', weight: 1, landline: '03' },
  { name: 'Montreuil', postcodes: ['93100'], store: 'PAR', weight: 1, landline: '01' },
  { name: 'Caen', postcodes: ['14000'], store: 'RNS', weight: 1, landline: '02' },
  { name: 'Nancy', postcodes: ['54000', '54100'], store: 'STR', weight: 1, landline: '03' },
  { name: 'Versailles', postcodes: ['78000'], store: 'PAR', weight: 1, landline: '01' },
  { name: 'Neuilly-sur-Seine', postcodes: ['92200'], store: 'PAR', weight: 1, landline: '01' },
  { name: 'Levallois-Perret', postcodes: ['92300'], store: 'PAR', weight: 1, landline: '01' },
  { name: 'Créteil', postcodes: ['94000'], store: 'PAR', weight: 1, landline: '01' },
  { name: 'Pau', postcodes: ['64000'], store: 'BOD', weight: 1, landline: '05' },
  { name: 'La Rochelle', postcodes: ['17000'], store: 'BOD', weight: 1, landline: '05' },
  { name: 'Bayonne', postcodes: ['64100'], store: 'BOD', weight: 1, landline: '05' },
  { name: 'Saint-Malo', postcodes: ['35400'], store: 'RNS', weight: 1, landline: '02' },
];

export const CITY_WEIGHTS: ReadonlyArray<readonly [FrenchCity, number]> = CITIES.map((city) => [city, city.weight] as const);

/** Street types as people really type them: abbreviated or not. */
export const STREET_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['rue', 'rue'],
  ['bd', 'boulevard'],
  ['boulevard', 'bd'],
  ['av.', 'avenue'],
  ['avenue', 'av.'],
  ['place', 'pl.'],
  ['allée', 'allée'],
  ['chemin', 'chem.'],
  ['impasse', 'imp.'],
  ['quai', 'quai'],
  ['cours', 'cours'],
];

export const STREET_NAMES: ReadonlyArray<string> = [
  'Voltaire', 'Victor Hugo', 'de la République', 'Jean Jaurès', 'Gambetta', 'Pasteur', 'du Général de Gaulle',
  'des Lilas', 'de la Paix', 'Émile Zola', 'Saint-Michel', 'de Verdun', 'des Écoles', 'du Moulin', 'de la Gare',
  'Foch', 'Carnot', 'Jules Ferry', 'Anatole France', 'Molière', 'Haussmann', 'de Rivoli', 'des Acacias',
  'de la Liberté', 'du Maréchal Leclerc', 'Lamartine', 'Condorcet', 'des Tilleuls', 'Aristide Briand', 'de Belleville',
];

export const EMAIL_DOMAINS: ReadonlyArray<readonly [string, number]> = [
  ['gmail.com', 30], ['orange.fr', 15], ['free.fr', 10], ['hotmail.fr', 10], ['yahoo.fr', 7], ['laposte.net', 6],
  ['sfr.fr', 6], ['outlook.fr', 5], ['wanadoo.fr', 4], ['icloud.com', 6], ['proton.me', 1],
];

/** Placeholder values typed to get past a mandatory field; they must never link anyone. */
export const JUNK_EMAILS: ReadonlyArray<string> = ['noemail@noemail.com', 'test@test.com', 'aucun@aucun.fr', 'pasdemail@gmail.com'];
export const JUNK_PHONES: ReadonlyArray<string> = ['0000000000', '0600000000', '0102030405', '0123456789'];
