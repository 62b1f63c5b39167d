import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/free-port.js';
import { stopProcess } from '../helpers/start-services.js';

const START = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the gateway did not answer in time');
}

/** `npm start` in a folder holding a `.env`, as the seeds' documents run it: the file fills in, the environment wins. */
describe('npm start reads .env from the working directory', () => {
  let child: ChildProcess;
  let output = '';
  let gateway: string;

  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'nachos-dotenv-'));
    const port = await freePort();
    gateway = `http://127.0.0.1:${port}`;
    writeFileSync(join(folder, '.env'), `# written as .env.example shows\nPORT=${port}\nNACHOS_API_KEYS=sk-from-dotenv-file\nexport LLM_PROXY_LOCAL_DISCOVERY=0\n`);
    child = spawn(process.execPath, [START], {
      cwd: folder,
      env: {
        PATH: process.env.PATH,
        LLM_PROXY_GRPC_PORT: String(await freePort()),
        LLM_PROXY_HTTP_PORT: String(await freePort()),
        NACHOS_API_KEYS: 'sk-from-environment',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until(async () => (await fetch(`${gateway}/health`)).ok, 90_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`);
    });
    // npm start checks the build first, which takes a while on a busy machine.
  }, 100_000);

  afterAll(async () => {
    if (child) await stopProcess(child);
  });

  it('listens where .env says, and takes the key from the environment over the one in .env', async () => {
    expect(output).toMatch(/read 3 variable\(s\) from .*\.env \(the environment wins\)/);
    const fromEnvironment = await fetch(`${gateway}/v1/models`, { headers: { authorization: 'Bearer sk-from-environment' } });
    expect(fromEnvironment.status).toBe(200);
    const fromFile = await fetch(`${gateway}/v1/models`, { headers: { authorization: 'Bearer sk-from-dotenv-file' } });
    expect(fromFile.status).toBe(401);
  });
});
