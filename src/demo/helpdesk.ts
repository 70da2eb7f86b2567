/**
 * After-sales (SAV) tickets. The helpdesk knows a customer only by the e-mail they typed, so
 * requesterEmail carries the usual case and spaces; a few come from addresses no other system
 * knows, which must stay unlinked.
 */
import type { DemoTicket, DemoTicketMessage } from './world-types.js';
import { AGENTS } from './data/catalog.js';
import { FEMALE_FIRST_NAMES, MALE_FIRST_NAMES } from './data/french-people.js';
import { asciiFold, typeEmail } from './identifiers.js';
import { drawLastName, SHOP_EMAIL_VARIANTS } from './person-identity.js';
import type { RealCustomer } from './people.js';
import { DAY_MILLIS, type Random } from './random.js';

const TOPICS: ReadonlyArray<{ readonly subject: string; readonly ask: string; readonly answer: string }> = [
  {
    subject: 'Colis non reçu',
    ask: "Bonjour, ma commande devait arriver il y a trois jours et je n'ai rien reçu.",
    answer: 'Nous avons ouvert une enquête auprès du transporteur.',
  },
  {
    subject: 'Article défectueux',
    ask: "L'article reçu présente un défaut, la couture est décousue.",
    answer: 'Nous vous envoyons une étiquette de retour prépayée.',
  },
  {
    subject: 'Demande de remboursement',
    ask: "J'ai renvoyé mon colis la semaine dernière, quand serai-je remboursée ?",
    answer: 'Le remboursement a été effectué sur votre moyen de paiement.',
  },
  {
    subject: 'Échange de taille',
    ask: 'La taille est trop petite, puis-je échanger contre la taille au-dessus ?',
    answer: "L'échange est enregistré, le nouvel article part demain.",
  },
  {
    subject: 'Problème de paiement',
    ask: 'Mon paiement a été refusé alors que ma carte fonctionne.',
    answer: 'Merci de réessayer, un incident bancaire a été corrigé.',
  },
  {
    subject: "Changement d'adresse de livraison",
    ask: "Je souhaite modifier l'adresse de livraison de ma commande.",
    answer: "L'adresse a été mise à jour avant l'expédition.",
  },
  {
    subject: 'Carte de fidélité',
    ask: 'Mes points de fidélité du magasin ne figurent pas sur mon compte en ligne.',
    answer: 'Vos achats en magasin ont été rattachés à votre compte.',
  },
];

export function generateTickets(random: Random, customers: ReadonlyArray<RealCustomer>, asOfMillis: number): DemoTicket[] {
  const reachable = customers.filter((c) => c.shopCustomerIds.length > 0 || c.contactIds.length > 0);
  const known = new Set(customers.map((c) => c.email));
  const count = Math.round(customers.length * 0.25);
  const drafts: Array<Omit<DemoTicket, 'id' | 'messages'> & { millis: number; topic: (typeof TOPICS)[number]; exchanges: number }> = [];
  for (let n = 0; n < count; n++) {
    const requesterEmail =
      random.chance(0.93) && reachable.length > 0 ? typeEmail(random.pick(reachable).email, random.weighted(SHOP_EMAIL_VARIANTS)) : unknownEmail(random, known);
    const millis = random.millisBetween(asOfMillis - 540 * DAY_MILLIS, asOfMillis - 3_600_000);
    const ageDays = (asOfMillis - millis) / DAY_MILLIS;
    const status =
      ageDays > 30
        ? random.weighted<DemoTicket['status']>([
            ['closed', 70],
            ['solved', 28],
            ['pending', 2],
          ])
        : random.weighted<DemoTicket['status']>([
            ['open', 35],
            ['pending', 25],
            ['solved', 40],
          ]);
    const exchanges = random.int(1, 3);
    const solved = status === 'solved' || status === 'closed';
    const solvedMillis = solved ? Math.min(asOfMillis, millis + random.int(1, 240) * 3_600_000) : null;
    drafts.push({
      millis,
      topic: random.pick(TOPICS),
      exchanges,
      requesterEmail,
      subject: '',
      status,
      priority: random.weighted<DemoTicket['priority']>([
        ['low', 20],
        ['normal', 60],
        ['high', 15],
        ['urgent', 5],
      ]),
      channel: random.weighted<DemoTicket['channel']>([
        ['email', 45],
        ['web', 25],
        ['phone', 20],
        ['chat', 10],
      ]),
      createdAt: new Date(millis).toISOString(),
      updatedAt: new Date(solvedMillis ?? Math.min(asOfMillis, millis + exchanges * 7_200_000)).toISOString(),
      solvedAt: solvedMillis === null ? null : new Date(solvedMillis).toISOString(),
      satisfaction:
        solved && random.chance(0.65)
          ? random.weighted<number>([
              [5, 40],
              [4, 30],
              [3, 12],
              [2, 8],
              [1, 10],
            ])
          : null,
    });
  }
  drafts.sort((a, b) => a.millis - b.millis);
  return drafts.map(({ millis, topic, exchanges, ...ticket }, i) => {
    const id = i + 1;
    const messages: DemoTicketMessage[] = [];
    const agent = random.pick(AGENTS);
    const messageCount = exchanges * 2 - (ticket.status === 'open' ? 1 : 0);
    // Messages are spread between the opening and the last update, never after it.
    const stepMillis = (Date.parse(ticket.updatedAt) - millis) / messageCount;
    for (let m = 0; m < messageCount; m++) {
      const fromCustomer = m % 2 === 0;
      messages.push({
        id: `${id}-${m + 1}`,
        author: fromCustomer ? 'customer' : 'agent',
        body: fromCustomer ? (m === 0 ? topic.ask : 'Merci, mais le problème persiste.') : `${topic.answer} ${agent}, service client`,
        createdAt: new Date(millis + Math.floor(m * stepMillis)).toISOString(),
      });
    }
    return { id, ...ticket, subject: topic.subject, messages };
  });
}

function unknownEmail(random: Random, known: ReadonlySet<string>): string {
  const first = asciiFold(random.chance(0.5) ? random.pick(FEMALE_FIRST_NAMES) : random.pick(MALE_FIRST_NAMES));
  const last = asciiFold(drawLastName(random));
  let email = `${first}.${last}@gmail.com`;
  while (known.has(email)) email = `${first}.${last}${random.int(100, 999)}@gmail.com`;
  return email;
}
