import { describe, expect, it } from 'vitest';
import { findMentions } from '../../../gateway/cases/mentions.ts';

const team = [
  { id: 'ann', name: 'Ann Lee' },
  { id: 'annie', name: 'Annie Hall' },
  { id: 'bob1', name: 'Bob Stone' },
  { id: 'bob2', name: 'Bob Marley' },
  { id: 'zoe', name: 'Zoë Ågren' },
];

describe('findMentions', () => {
  it('finds full names and unique first names, the longest first, case-insensitive, in order', () => {
    expect(findMentions('@annie can you check? cc @Ann Lee', team)).toEqual(['annie', 'ann']);
    expect(findMentions('@ann please', team)).toEqual(['ann']);
    expect(findMentions('@ZOË, look', team)).toEqual(['zoe']);
    expect(findMentions('@Bob Marley and @Bob Stone', team)).toEqual(['bob2', 'bob1']);
  });

  it('ignores a first name two agents share, email addresses, partial words and repeats', () => {
    expect(findMentions('@bob can you?', team)).toEqual([]);
    expect(findMentions('write to ann@acme.test', team)).toEqual([]);
    expect(findMentions('@anniversary plans', team)).toEqual([]);
    expect(findMentions('@ann @ann @Ann Lee', team)).toEqual(['ann']);
    expect(findMentions('no mention here', team)).toEqual([]);
    expect(findMentions('@', team)).toEqual([]);
  });
});
