/** Parses one client frame of the chat WebSocket; anything unexpected becomes a coded error. */
import { findIllFormedString, MAX_JSON_DEPTH, nestsDeeperThan } from '../json-safety.ts';
export type ClientFrame = { type: 'message'; text: string; id?: string } | { type: 'typing' } | { type: 'ping' };

export type FrameError = { code: 'INVALID_JSON' | 'INVALID_UNICODE' | 'INVALID_MESSAGE' | 'TEXT_TOO_LONG' | 'UNKNOWN_TYPE'; message: string };

export function parseClientFrame(raw: string, maxTextBytes: number): { ok: true; frame: ClientFrame } | { ok: false; error: FrameError } {
  if (nestsDeeperThan(raw)) return { ok: false, error: { code: 'INVALID_JSON', message: `frames nest no deeper than ${MAX_JSON_DEPTH} levels` } };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, error: { code: 'INVALID_JSON', message: 'frames are JSON objects' } };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, error: { code: 'INVALID_MESSAGE', message: 'frames are JSON objects with a type' } };
  }
  const f = data as Record<string, unknown>;
  const bad = findIllFormedString(f);
  if (bad) return { ok: false, error: { code: 'INVALID_UNICODE', message: `${bad.slice(1)} holds a lone UTF-16 surrogate; send well-formed Unicode` } };
  switch (f.type) {
    case 'message': {
      if (typeof f.text !== 'string' || f.text.trim() === '') return { ok: false, error: { code: 'INVALID_MESSAGE', message: 'text must be a non-empty string' } };
      if (Buffer.byteLength(f.text, 'utf8') > maxTextBytes) return { ok: false, error: { code: 'TEXT_TOO_LONG', message: `text is over ${maxTextBytes} bytes` } };
      if (f.id !== undefined && (typeof f.id !== 'string' || !/^[\w.:-]{1,100}$/.test(f.id))) {
        return { ok: false, error: { code: 'INVALID_MESSAGE', message: 'id must be 1-100 letters, digits, dots, colons, dashes or underscores' } };
      }
      return { ok: true, frame: { type: 'message', text: f.text, id: f.id as string | undefined } };
    }
    case 'typing':
      return { ok: true, frame: { type: 'typing' } };
    case 'ping':
      return { ok: true, frame: { type: 'ping' } };
    default:
      return { ok: false, error: { code: 'UNKNOWN_TYPE', message: `unknown frame type ${JSON.stringify(f.type)}` } };
  }
}
