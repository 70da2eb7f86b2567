/**
 * The analytics enums as the config allows them: AnalyticsMeasure, AnalyticsDimension and
 * the measures of AnalyticsOrderField keep only the values the config maps, so
 * introspection, GraphiQL and validation offer nothing c360 could not compute. With no
 * measure available, Query.analytics is left out.
 */
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { GraphQLEnumType, type GraphQLSchema } from 'graphql';
import type { C360Config } from '../config/types.js';
import { availableDimensions, availableMeasures, MEASURES } from './catalog.js';

export function analyticsSchemaFor(schema: GraphQLSchema, config: C360Config): GraphQLSchema {
  const measures = new Set<string>(availableMeasures(config));
  const dimensions = new Set<string>(availableDimensions(config));
  const allMeasures = new Set<string>(MEASURES);
  if (measures.size === 0) {
    return mapSchema(schema, {
      [MapperKind.ROOT_FIELD]: (fieldConfig, fieldName, typeName) => (typeName === 'Query' && fieldName === 'analytics' ? null : fieldConfig),
    });
  }
  const keep = (type: GraphQLEnumType, wanted: (value: string) => boolean): GraphQLEnumType => {
    const config = type.toConfig();
    const values = Object.fromEntries(Object.entries(config.values).filter(([name]) => wanted(name)));
    return new GraphQLEnumType({ ...config, values });
  };
  return mapSchema(schema, {
    [MapperKind.ENUM_TYPE]: (type) => {
      switch (type.name) {
        case 'AnalyticsMeasure':
          return keep(type, (name) => measures.has(name));
        case 'AnalyticsDimension':
          // An enum needs one value: with none mapped (tickets alone) the engine refuses each with BAD_USER_INPUT.
          return dimensions.size === 0 ? type : keep(type, (name) => dimensions.has(name));
        case 'AnalyticsOrderField':
          return keep(type, (name) => !allMeasures.has(name) || measures.has(name));
        default:
          return type;
      }
    },
  });
}
