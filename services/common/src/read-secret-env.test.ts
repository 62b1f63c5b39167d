import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSecretEnv, readSecretEnv } from './read-secret-env.js';

describe('readSecretEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nachos-secret-'));
  const file = join(dir, 'key');
  writeFileSync(file, 'sk-from-file\n');

  it('reads the inline variable', () => {
    expect(readSecretEnv({ OPENAI_API_KEY: 'sk-inline' }, 'OPENAI_API_KEY')?.reveal()).toBe('sk-inline');
  });

  it('reads NAME_FILE and trims the trailing newline', () => {
    expect(readSecretEnv({ OPENAI_API_KEY_FILE: file }, 'OPENAI_API_KEY')?.reveal()).toBe('sk-from-file');
    expect(hasSecretEnv({ OPENAI_API_KEY_FILE: file }, 'OPENAI_API_KEY')).toBe(true);
  });

  it('is undefined when neither is set', () => {
    expect(readSecretEnv({}, 'OPENAI_API_KEY')).toBeUndefined();
    expect(hasSecretEnv({ OPENAI_API_KEY: '' }, 'OPENAI_API_KEY')).toBe(false);
  });

  it('refuses both forms at once and a missing file, naming the variable but not the value', () => {
    const both = () => readSecretEnv({ OPENAI_API_KEY: 'sk-secret-value', OPENAI_API_KEY_FILE: file }, 'OPENAI_API_KEY');
    expect(both).toThrow(/both OPENAI_API_KEY and OPENAI_API_KEY_FILE/);
    expect(both).not.toThrow(/sk-secret-value/);
    expect(() => readSecretEnv({ OPENAI_API_KEY_FILE: join(dir, 'absent') }, 'OPENAI_API_KEY')).toThrow(
      /OPENAI_API_KEY_FILE names a file that cannot be read \(ENOENT\)/,
    );
  });
});
