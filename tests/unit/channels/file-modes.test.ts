import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tightenPrivateDir, tightenPrivateTree } from '../../../channels/file-modes.ts';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sb-modes-'));

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

describe('tightenPrivateTree', () => {
  it('makes an open folder and everything under it private, leaves link targets alone, and reports it once', () => {
    const root = tempDir();
    const dir = path.join(root, 'data');
    fs.mkdirSync(path.join(dir, 'attachments'), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'attachments', 'a'), 'x', { mode: 0o644 });
    fs.writeFileSync(path.join(dir, 'key'), 'x', { mode: 0o640 });
    const outside = path.join(root, 'outside.txt');
    fs.writeFileSync(outside, 'not ours', { mode: 0o644 });
    fs.symlinkSync(outside, path.join(dir, 'link'));
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'attachments'), 0o755);

    expect(tightenPrivateTree(dir)).toBe('755');
    expect([mode(dir), mode(path.join(dir, 'attachments')), mode(path.join(dir, 'attachments', 'a')), mode(path.join(dir, 'key'))]).toEqual(['700', '700', '600', '600']);
    expect(mode(outside)).toBe('644');
    expect(tightenPrivateTree(dir)).toBeUndefined();
  });

  it('tightenPrivateDir changes the folder only, not what lies in it', () => {
    const dir = path.join(tempDir(), 'data');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o750);
    fs.writeFileSync(path.join(dir, 'tool.sh'), '#!/bin/sh\n', { mode: 0o755 });
    expect(tightenPrivateDir(dir)).toBe('750');
    expect([mode(dir), mode(path.join(dir, 'tool.sh'))]).toEqual(['700', '755']);
  });

  it('has nothing to do for a missing folder', () => {
    expect(tightenPrivateTree(path.join(tempDir(), 'nope'))).toBeUndefined();
  });
});
