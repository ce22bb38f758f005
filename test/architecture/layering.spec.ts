import { ESLint } from 'eslint';

/** The layering rules of STYLE.md are enforced by lint; these tests show the rules bite. */
describe('layering rules', () => {
  const eslint = new ESLint({ cwd: process.cwd() });

  async function restrictedImports(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  }

  it.each([
    ['@nestjs/common', "import { Injectable } from '@nestjs/common';"],
    ['class-validator', "import { IsString } from 'class-validator';"],
    ['rxjs', "import { Subject } from 'rxjs';"],
    ['better-sqlite3', "import Database from 'better-sqlite3';"],
    ['another lib', "import { SqliteEventStore } from '@archive/event-store';"],
  ])('keeps %s out of libs/domain', async (_name, code) => {
    const messages = await restrictedImports('libs/domain/src/briefing/example.ts', `${code}\nexport const used = 1;\n`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('libs/domain is pure');
  });

  it('keeps database drivers inside their adapter folder', async () => {
    const code = "import Database from 'better-sqlite3';\nexport const db = Database;\n";
    expect(await restrictedImports('libs/projections/src/example.ts', code)).toHaveLength(1);
    expect(await restrictedImports('libs/event-store/src/sqlite/example.ts', code)).toHaveLength(0);
  });

  it('lets the domain import its own modules', async () => {
    const code = "import { isSlug } from '../slug.js';\nexport const check = isSlug;\n";
    expect(await restrictedImports('libs/domain/src/briefing/example.ts', code)).toHaveLength(0);
  });
});
