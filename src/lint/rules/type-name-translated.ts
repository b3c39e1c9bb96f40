import type { Rule } from '../rule.js';
import { placeFindings } from './identifier-places.js';
import { documented } from './docs.js';

export const typeNameTranslated: Rule = {
  meta: documented({ id: 'type-name-translated', severity: 'info', family: 'identifiers', defaultOff: true }),
  check: (ctx) => placeFindings(ctx).typeNames,
};
