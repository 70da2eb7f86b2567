/**
 * CRM activity: interactions with contacts (calls, meetings, e-mails, store visits) and the
 * consent log. A withdrawn consent is two records, the grant and then the withdrawal, as a
 * consent log keeps them; the latest record per purpose is the one in force.
 */
import type { DemoConsent, DemoContact, DemoInteraction } from './world-types.js';
import { AGENTS, storesOf } from './data/catalog.js';
import type { RealCustomer } from './people.js';
import { DAY_MILLIS, type Random } from './random.js';

const SUBJECTS: Readonly<Record<DemoInteraction['type'], ReadonlyArray<string>>> = {
  call: ['Suivi de commande', 'Question sur une facture', 'Relance devis', 'Demande de rappel', 'Réclamation livraison'],
  meeting: ['Présentation de la collection', 'Renouvellement du contrat cadre', 'Revue annuelle du compte', 'Commande groupée fin d’année'],
  email: ['Envoi du catalogue', 'Confirmation de rendez-vous', 'Offre personnalisée', 'Réponse à une demande d’information'],
  store_visit: ['Essayage en magasin', 'Retrait de commande', 'Conseil beauté', 'Retour d’article', 'Atelier personnalisation'],
};

const PURPOSES: ReadonlyArray<{ readonly purpose: string; readonly channel: DemoConsent['channel']; readonly recorded: number }> = [
  { purpose: 'marketing_email', channel: 'email', recorded: 0.8 },
  { purpose: 'marketing_sms', channel: 'sms', recorded: 0.6 },
  { purpose: 'profiling', channel: 'all', recorded: 0.5 },
  { purpose: 'partner_sharing', channel: 'all', recorded: 0.4 },
];

export interface CrmActivity {
  readonly interactions: DemoInteraction[];
  readonly consents: DemoConsent[];
}

export function generateCrmActivity(
  random: Random,
  customers: ReadonlyArray<RealCustomer>,
  contacts: ReadonlyArray<DemoContact>,
  asOfMillis: number,
): CrmActivity {
  const drafts: Array<{ millis: number; interaction: Omit<DemoInteraction, 'id'> }> = [];
  const consentDrafts: Array<{ millis: number; consent: Omit<DemoConsent, 'id'> }> = [];
  for (const customer of customers) {
    const business = customer.segment !== 'b2c';
    for (const contactId of customer.contactIds) {
      const contact = contacts[contactId - 1];
      if (contact === undefined) continue;
      const sinceMillis = Date.parse(contact.createdAt);
      const count = business
        ? random.int(1, 8)
        : random.weighted<number>([
            [0, 40],
            [1, 25],
            [2, 15],
            [3, 10],
            [4, 5],
            [6, 5],
          ]);
      for (let n = 0; n < count; n++) {
        const type = random.weighted<DemoInteraction['type']>(
          business
            ? [
                ['meeting', 35],
                ['call', 35],
                ['email', 30],
              ]
            : [
                ['call', 35],
                ['email', 35],
                ['store_visit', 25],
                ['meeting', 5],
              ],
        );
        const millis = random.millisBetween(sinceMillis, asOfMillis);
        drafts.push({
          millis,
          interaction: {
            contactId,
            type,
            occurredAt: new Date(millis).toISOString(),
            subject: random.pick(SUBJECTS[type]),
            agent: random.pick(AGENTS),
            storeId: type === 'store_visit' ? random.pick(storesOf(customer.storeCode)).id : null,
          },
        });
      }
      for (const { purpose, channel, recorded } of PURPOSES) {
        // Companies are only asked about e-mail marketing.
        if (contact.kind === 'company' && purpose !== 'marketing_email') continue;
        if (!random.chance(recorded)) continue;
        const status = random.weighted<DemoConsent['status']>([
          ['granted', 60],
          ['denied', 30],
          ['withdrawn', 10],
        ]);
        const grantedMillis = random.millisBetween(sinceMillis, asOfMillis - DAY_MILLIS);
        const first = status === 'withdrawn' ? 'granted' : status;
        consentDrafts.push({
          millis: grantedMillis,
          consent: { contactId, purpose, channel, status: first, recordedAt: new Date(grantedMillis).toISOString() },
        });
        if (status === 'withdrawn') {
          const withdrawnMillis = random.millisBetween(grantedMillis + 1000, asOfMillis);
          consentDrafts.push({
            millis: withdrawnMillis,
            consent: { contactId, purpose, channel, status, recordedAt: new Date(withdrawnMillis).toISOString() },
          });
        }
      }
    }
  }
  drafts.sort((a, b) => a.millis - b.millis);
  consentDrafts.sort((a, b) => a.millis - b.millis);
  return {
    interactions: drafts.map(({ interaction }, i) => ({ id: i + 1, ...interaction })),
    consents: consentDrafts.map(({ consent }, i) => ({ id: i + 1, ...consent })),
  };
}
