import type { Resolvers } from '../generated/graphql.js';
import type { RequestContext } from '../gateway/context.js';
import { accountResolvers, consentResolvers, contactResolvers, interactionResolvers } from './crm.js';
import { orderLineResolvers, orderResolvers, productResolvers, shopCustomerResolvers, webEventResolvers } from './commerce.js';
import { customerResolvers } from './customer.js';
import { queryResolvers } from './query.js';
import { DateScalar, DateTimeScalar } from './scalars.js';

export const resolvers: Resolvers<RequestContext> = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query: queryResolvers,
  Customer: customerResolvers,
  Contact: contactResolvers,
  Account: accountResolvers,
  Interaction: interactionResolvers,
  Consent: consentResolvers,
  ShopCustomer: shopCustomerResolvers,
  Order: orderResolvers,
  OrderLine: orderLineResolvers,
  Product: productResolvers,
  WebEvent: webEventResolvers,
};
