/**
 * The demo world: a French retailer selling online and in stores, as plain records.
 * The generator (./generator.ts) makes it deterministically from a seed; the seeders
 * write it into the CRM and shop databases, and the demo helpdesk and registry services
 * serve their parts of it over HTTP. Field values keep the mess of real data (case and
 * spaces in emails, phones in several formats, missing values); `truth` says what is
 * really the same person, for tests.
 */

export interface DemoWorldOptions {
  readonly seed: number;
  /** Number of distinct real-world customers (persons and companies). */
  readonly customers: number;
  /** Average orders per buying customer; 1M orders for 100k customers in benchmarks. */
  readonly ordersPerCustomer?: number;
  /** "Now" of the world, so that dates are reproducible (ISO 8601). */
  readonly asOf?: string;
  /** Aim for this many orders in all (benchmarks); overrides ordersPerCustomer. */
  readonly totalOrders?: number;
  /** Web events (default true); large benchmark worlds may skip them. */
  readonly includeEvents?: boolean;
  /** Helpdesk tickets (default true). */
  readonly includeTickets?: boolean;
  /** The stores' loyalty system: cards, receipts and their lines (default true). */
  readonly includeLoyalty?: boolean;
}

export interface DemoAccount {
  readonly id: number;
  readonly name: string;
  readonly siren: string;
  readonly siret: string;
  readonly industry: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DemoContact {
  readonly id: number;
  readonly kind: 'person' | 'company';
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly companyName: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly mobile: string | null;
  readonly street: string | null;
  readonly postcode: string | null;
  readonly city: string | null;
  readonly country: string | null;
  readonly birthDate: string | null;
  readonly accountId: number | null;
  /** The shop customer number, when the CRM recorded it. */
  readonly shopCustomerRef: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DemoInteraction {
  readonly id: number;
  readonly contactId: number;
  readonly type: 'call' | 'meeting' | 'email' | 'store_visit';
  readonly occurredAt: string;
  readonly subject: string;
  readonly agent: string;
  readonly storeId: string | null;
}

export interface DemoConsent {
  readonly id: number;
  readonly contactId: number;
  /** e.g. marketing_email, marketing_sms, profiling, partner_sharing */
  readonly purpose: string;
  readonly channel: 'email' | 'sms' | 'phone' | 'post' | 'all';
  readonly status: 'granted' | 'denied' | 'withdrawn';
  readonly recordedAt: string;
}

export interface DemoShopCustomer {
  readonly id: number;
  readonly email: string | null;
  readonly phone: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly companyName: string | null;
  readonly siret: string | null;
  readonly street: string | null;
  readonly postcode: string | null;
  readonly city: string | null;
  readonly country: string | null;
  readonly birthDate: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DemoProduct {
  readonly id: number;
  readonly sku: string;
  readonly name: string;
  readonly category: string;
  readonly brand: string;
  readonly price: number;
}

export interface DemoOrder {
  readonly id: number;
  readonly customerId: number;
  readonly channel: 'web' | 'store';
  readonly status: 'pending' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'returned';
  readonly placedAt: string;
  readonly total: number;
  readonly currency: 'EUR';
  readonly storeId: string | null;
}

export interface DemoOrderLine {
  readonly id: number;
  readonly orderId: number;
  readonly productId: number;
  readonly sku: string;
  readonly productName: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly lineTotal: number;
}

export interface DemoEvent {
  readonly id: number;
  readonly customerId: number;
  readonly type: 'product_view' | 'search' | 'add_to_cart' | 'checkout_started';
  readonly occurredAt: string;
  readonly productId: number | null;
  readonly query: string | null;
  readonly sessionId: string;
  readonly device: 'web' | 'app';
}

export interface DemoTicketMessage {
  readonly id: string;
  readonly author: 'customer' | 'agent';
  readonly body: string;
  readonly createdAt: string;
}

/** A helpdesk (SAV) ticket; requesterEmail as the customer typed it. */
export interface DemoTicket {
  readonly id: number;
  readonly requesterEmail: string;
  readonly subject: string;
  readonly status: 'open' | 'pending' | 'solved' | 'closed';
  readonly priority: 'low' | 'normal' | 'high' | 'urgent';
  readonly channel: 'email' | 'phone' | 'web' | 'chat';
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly solvedAt: string | null;
  /** 1..5, when the customer rated the service. */
  readonly satisfaction: number | null;
  readonly messages: ReadonlyArray<DemoTicketMessage>;
}

/** A company as the French company registry knows it (recherche-entreprises). */
export interface DemoCompany {
  readonly siren: string;
  readonly siret: string;
  readonly legalName: string;
  /** NAF code, e.g. "47.71Z", and its label. */
  readonly nafCode: string;
  readonly nafLabel: string;
  /** INSEE headcount band code, e.g. "12" (20 to 49 employees). */
  readonly headcountBand: string;
  readonly creationDate: string;
  readonly state: 'A' | 'C';
  readonly closedDate: string | null;
  readonly address: { readonly street: string; readonly postcode: string; readonly city: string };
  readonly executives: ReadonlyArray<{ readonly firstName: string; readonly lastName: string; readonly role: string }>;
  readonly finances: ReadonlyArray<{ readonly year: number; readonly revenue: number; readonly netIncome: number }>;
}

/**
 * A card holder of the stores' loyalty (point-of-sale) system, identified by the card number;
 * phone and name as the cashier typed them at the till, the e-mail only when the customer gave it.
 */
export interface DemoLoyaltyCard {
  /** "LC000123": numbered in the order the cards were issued. */
  readonly cardNumber: string;
  readonly phone: string | null;
  readonly email: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly postcode: string | null;
  /** When the card was issued. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A till receipt in a store, on a loyalty card; its total is the exact sum of its lines. */
export interface DemoReceipt {
  readonly id: number;
  readonly cardNumber: string;
  readonly storeId: string;
  readonly placedAt: string;
  readonly total: number;
  readonly currency: 'EUR';
}

/** A line of a receipt: a product of the shop's catalogue (its id, SKU, name and price). */
export interface DemoReceiptLine {
  readonly id: number;
  readonly receiptId: number;
  readonly productId: number;
  readonly sku: string;
  readonly productName: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly lineTotal: number;
}

/** What is really the same person, for tests of identity resolution. */
export interface DemoTruth {
  /** Each real customer: its CRM contact ids and its shop customer ids. */
  readonly people: ReadonlyArray<{ readonly contactIds: ReadonlyArray<number>; readonly shopCustomerIds: ReadonlyArray<number> }>;
  /**
   * Whose each loyalty card is: `person` is an index in `people`, or null for a person the
   * loyalty system alone knows (no CRM contact, no shop account; one card each).
   */
  readonly loyaltyCards: ReadonlyArray<{ readonly cardNumber: string; readonly person: number | null }>;
}

export interface DemoWorld {
  readonly asOf: string;
  readonly accounts: ReadonlyArray<DemoAccount>;
  readonly contacts: ReadonlyArray<DemoContact>;
  readonly interactions: ReadonlyArray<DemoInteraction>;
  readonly consents: ReadonlyArray<DemoConsent>;
  readonly shopCustomers: ReadonlyArray<DemoShopCustomer>;
  readonly products: ReadonlyArray<DemoProduct>;
  readonly orders: ReadonlyArray<DemoOrder>;
  readonly orderLines: ReadonlyArray<DemoOrderLine>;
  readonly events: ReadonlyArray<DemoEvent>;
  readonly tickets: ReadonlyArray<DemoTicket>;
  readonly companies: ReadonlyArray<DemoCompany>;
  readonly truth: DemoTruth;
  /** The stores' loyalty system (empty when generated with includeLoyalty: false). */
  readonly loyaltyCards: ReadonlyArray<DemoLoyaltyCard>;
  readonly receipts: ReadonlyArray<DemoReceipt>;
  readonly receiptLines: ReadonlyArray<DemoReceiptLine>;
}
