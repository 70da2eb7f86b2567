/**
 * c360 customer ids: opaque to clients, stable across restarts because they are derived
 * from the anchor record (the CRM contact when there is one, else the shop account), not
 * from any state of c360's own.
 */
export type AnchorEntity = 'contact' | 'shopCustomer';

export interface Anchor {
  readonly entity: AnchorEntity;
  readonly key: string;
}

const PREFIX = 'cus_';
const TAGS: Readonly<Record<AnchorEntity, string>> = { contact: 'c', shopCustomer: 's' };

export function encodeCustomerId(anchor: Anchor): string {
  return PREFIX + Buffer.from(`${TAGS[anchor.entity]}:${anchor.key}`, 'utf8').toString('base64url');
}

/** The anchor of an id, or undefined when the id was not made by encodeCustomerId. */
export function decodeCustomerId(id: string): Anchor | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  const text = Buffer.from(id.slice(PREFIX.length), 'base64url').toString('utf8');
  const separator = text.indexOf(':');
  if (separator < 1 || separator === text.length - 1) return undefined;
  const tag = text.slice(0, separator);
  const key = text.slice(separator + 1);
  const entity = (Object.keys(TAGS) as AnchorEntity[]).find((candidate) => TAGS[candidate] === tag);
  if (entity === undefined || encodeCustomerId({ entity, key }) !== id) return undefined;
  return { entity, key };
}
