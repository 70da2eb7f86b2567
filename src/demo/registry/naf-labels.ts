/**
 * Labels of the NAF rév. 2 codes the demo companies use. The registry's API returns the
 * code only (activite_principale), so a mapping that wants the label renames codes with
 * this table (`nafLabel: { path: activite_principale, values: …, otherwise: null }`).
 */
export const NAF_LABELS: Readonly<Record<string, string>> = {
  '41.20A': 'Construction de maisons individuelles',
  '47.11F': 'Hypermarchés',
  '47.19B': 'Autres commerces de détail en magasin non spécialisé',
  '47.71Z': "Commerce de détail d'habillement en magasin spécialisé",
  '47.91B': 'Vente à distance sur catalogue spécialisé',
  '55.10Z': 'Hôtels et hébergement similaire',
  '56.10A': 'Restauration traditionnelle',
  '62.01Z': 'Programmation informatique',
  '70.22Z': 'Conseil pour les affaires et autres conseils de gestion',
  '73.11Z': 'Activités des agences de publicité',
  '85.59A': 'Formation continue d’adultes',
  '86.21Z': 'Activité des médecins généralistes',
  '93.13Z': 'Activités des centres de culture physique',
  '96.02A': 'Coiffure',
  '96.02B': 'Soins de beauté',
};
