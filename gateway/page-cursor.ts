import { GatewayError } from './errors.ts';

/**
 * The opaque `cursor` of a paged list: the key of the last item, tagged with the list it belongs to, so a
 * cursor of one list is refused by another instead of paging it from a wrong place.
 */
export function encodeCursor(list: string, key: string | number): string {
  return Buffer.from(`${list}:${key}`).toString('base64url');
}

/** The key inside a cursor of `list`, which must match `key` entirely; 400 INVALID_CURSOR otherwise. */
export function decodeCursor(list: string, cursor: string, key: RegExp): string {
  const text = Buffer.from(cursor, 'base64url').toString();
  const value = text.startsWith(`${list}:`) ? text.slice(list.length + 1) : null;
  if (value === null || !new RegExp(`^(?:${key.source})$`, 'u').test(value)) throw new GatewayError('INVALID_CURSOR', 'cursor is not one this API returned');
  return value;
}
