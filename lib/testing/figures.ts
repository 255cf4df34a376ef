// Tests that prove a SECURITY.md figure record it here; `npm run reliability` collects them into
// docs/reliability.md. Each figure is one line such as "Tokens: 84 guesses/replays/expired, 0 accepted".
import fs from 'node:fs';
import path from 'node:path';

export const FIGURES_DIR = path.join(process.cwd(), 'test-results', 'figures');

export function recordFigure(id: string, line: string): void {
  fs.mkdirSync(FIGURES_DIR, { recursive: true });
  fs.writeFileSync(path.join(FIGURES_DIR, `${id}.json`), JSON.stringify({ id, line, at: new Date().toISOString() }) + '\n');
  console.log(`[figure] ${line}`);
}
