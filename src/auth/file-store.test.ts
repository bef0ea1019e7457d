import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { FileStore } from './file-store.js';

describe('FileStore', () => {
  it('keeps secrets in a 0600 file inside a 0700 directory', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'hoop-mcp-fs-')), 'state');
    const store = new FileStore(home);
    await store.set('default@https://a', 'secret-1');
    await store.set('work@https://b', 'secret-2');
    expect(await store.get('default@https://a')).toBe('secret-1');
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(await store.delete('default@https://a')).toBe(true);
    expect(await store.delete('default@https://a')).toBe(false);
    expect(await store.get('default@https://a')).toBeUndefined();
    expect(await store.get('work@https://b')).toBe('secret-2');
  });
});
