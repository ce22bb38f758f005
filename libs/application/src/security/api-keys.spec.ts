import { createHash } from 'node:crypto';
import { identify, parseApiKeys, roleAllows } from './api-keys.js';

const SECRET = 'editor-secret-0123456789';

describe('API keys', () => {
  it('reads name:role:secret entries, keeping only a digest of each secret', () => {
    const digest = createHash('sha256').update('admin-secret-abcdefghij').digest('hex');
    const { keys, problems } = parseApiKeys(` newsroom:editor:${SECRET} , ops:admin:sha256:${digest},public:reader:reader-secret-000000`);
    expect(problems).toEqual([]);
    expect(keys.map(({ name, role }) => ({ name, role }))).toEqual([
      { name: 'newsroom', role: 'editor' },
      { name: 'ops', role: 'admin' },
      { name: 'public', role: 'reader' },
    ]);
    expect(JSON.stringify(keys)).not.toContain(SECRET);
    expect(identify(keys, SECRET)?.name).toBe('newsroom');
    expect(identify(keys, 'admin-secret-abcdefghij')?.name).toBe('ops');
    expect(identify(keys, `sha256:${digest}`)).toBeUndefined();
    expect(identify(keys, 'wrong-secret-0123456789')).toBeUndefined();
    expect(identify(keys, '')).toBeUndefined();
  });

  it('keeps a colon inside a secret', () => {
    const { keys } = parseApiKeys('a:editor:part-one:part-two-xxxx');
    expect(identify(keys, 'part-one:part-two-xxxx')?.name).toBe('a');
  });

  it('names every bad entry', () => {
    const { problems } = parseApiKeys('bad name:editor:0123456789abcdef,z:owner:0123456789abcdef,y:reader:short,x:admin:sha256:abc,x:reader:0123456789abcdef0');
    expect(problems).toEqual([
      expect.stringMatching(/entry 1: the name/),
      expect.stringMatching(/entry 2 \(z\): the role/),
      expect.stringMatching(/entry 3 \(y\): the secret/),
      expect.stringMatching(/entry 4 \(x\): the secret/),
      expect.stringMatching(/entry 5: the name x is used twice/),
    ]);
  });

  it('refuses a secret no Bearer header could carry: spaces, other whitespace, non-ASCII, over 512 characters', () => {
    const { problems } = parseApiKeys(
      ['a:editor:the admin secret here', 'b:editor:tab\tinside-the-secret', 'c:editor:sécret-0123456789ab', `d:editor:${'x'.repeat(513)}`, `e:editor:${'x'.repeat(512)}`].join(','),
    );
    expect(problems).toEqual([
      expect.stringMatching(/entry 1 \(a\): the secret must be printable ASCII without spaces/),
      expect.stringMatching(/entry 2 \(b\): the secret must be printable ASCII without spaces/),
      expect.stringMatching(/entry 3 \(c\): the secret must be printable ASCII without spaces/),
      expect.stringMatching(/entry 4 \(d\): the secret must be printable ASCII without spaces/),
    ]);
  });

  it('is empty when unset', () => {
    expect(parseApiKeys(undefined)).toEqual({ keys: [], problems: [] });
    expect(parseApiKeys('')).toEqual({ keys: [], problems: [] });
  });

  it('ranks roles: admin may do what an editor may, an editor what a reader may', () => {
    expect(roleAllows('admin', 'editor')).toBe(true);
    expect(roleAllows('editor', 'reader')).toBe(true);
    expect(roleAllows('editor', 'admin')).toBe(false);
    expect(roleAllows('reader', 'editor')).toBe(false);
  });
});
