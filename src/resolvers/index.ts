import type { Resolvers } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import { accountResolvers, consentResolvers, contactResolvers, interactionResolvers } from './crm.js';
import { orderLineResolvers, orderResolvers, productResolvers, shopCustomerResolvers, webEventResolvers } from './commerce.js';
import { customerResolvers } from './customer.js';
import { companyResolvers, enrichmentAccountResolvers } from './enrichment.js';
import { identityCustomerResolvers, identityQueryResolvers } from './identity.js';
import { insightsCustomerResolvers, insightsQueryResolvers, intentResolvers } from './insights.js';
import { queryResolvers } from './query.js';
import { DateScalar, DateTimeScalar } from './scalars.js';
import { supportCustomerResolvers, ticketResolvers } from './support.js';
import { timelineCustomerResolvers, timelineEntryResolvers } from './timeline.js';
import { gdprQueryResolvers } from '../privacy/gdpr/resolvers.js';
import { analyticsQueryResolvers } from '../analytics/resolvers.js';
import { triggerQueryResolvers, triggerSubscriptionResolvers } from '../triggers/resolvers.js';

export const resolvers: Resolvers<RequestContext> = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query: {
    ...queryResolvers,
    ...identityQueryResolvers,
    ...insightsQueryResolvers,
    ...gdprQueryResolvers,
    ...analyticsQueryResolvers,
    ...triggerQueryResolvers,
  },
  Subscription: triggerSubscriptionResolvers,
  // Helpdesk and registry fields extend the core types from their own files (schema/support, schema/enrichment).
  Customer: { ...customerResolvers, ...supportCustomerResolvers, ...timelineCustomerResolvers, ...identityCustomerResolvers, ...insightsCustomerResolvers },
  Contact: contactResolvers,
  Account: { ...accountResolvers, ...enrichmentAccountResolvers },
  Interaction: interactionResolvers,
  Consent: consentResolvers,
  ShopCustomer: shopCustomerResolvers,
  Order: orderResolvers,
  OrderLine: orderLineResolvers,
  Product: productResolvers,
  WebEvent: webEventResolvers,
  Ticket: ticketResolvers,
  Company: companyResolvers,
  TimelineEntry: timelineEntryResolvers,
  Intent: intentResolvers,
};
