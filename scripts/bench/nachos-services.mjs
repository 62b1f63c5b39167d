/**
 * llm-proxy and the gateway as built by `tsc -b`, started the way the README runs them, with one env-declared
 * endpoint pointing at the fake upstream. Only what is set here reaches them (no developer provider keys), and
 * they run in an empty temp dir so a `nachos.toml` in the checkout cannot change what is measured.
 * Production mode at the default log level: the benchmark measures what an operator runs, log lines included.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHECK_PACING, INSTANT_MODEL, pacedModel } from './bench-models.mjs';
import { STREAM_SCENARIOS } from './bench-options.mjs';
import { freePort } from './free-port.mjs';
import { startProcess } from './managed-processes.mjs';
import { measuredGroup } from './process-usage.mjs';
import { waitForHttp } from './wait-for-http.mjs';

const OWN_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRIES = { llmProxy: 'services/llm-proxy/dist/main.js', gateway: 'services/gateway/dist/main.js' };

// b64 paces like p64: one model serves both.
const MODELS = [...new Set([INSTANT_MODEL, pacedModel(CHECK_PACING), ...Object.values(STREAM_SCENARIOS).map(pacedModel)])];

/**
 * Resolves once the gateway's `/ready` says llm-proxy answers; `profileDirectory` turns on --cpu-prof,
 * `cores` pins both services, `openFiles` raises their descriptor limit, `extraModels` serves more paced models,
 * `settings` adds environment settings. `root` is the checkout whose build runs (another one for the
 * baseline, measured beside this one in the same rounds), and `labelPrefix` names its processes apart.
 */
export async function startNachos({ upstreamUrl, workDirectory, profileDirectory, cores, openFiles, extraModels = [], settings = {}, root = OWN_ROOT, labelPrefix = '' }) {
  const ROOT = root.endsWith('/') ? root : `${root}/`;
  for (const entry of Object.values(ENTRIES)) {
    if (!existsSync(`${ROOT}${entry}`)) throw new Error(`${ROOT}${entry} is missing: build first (npm run build)`);
  }
  const grpcPort = await freePort();
  const httpPort = await freePort();
  const internalPort = await freePort();
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(httpPort),
    LLM_PROXY_GRPC_PORT: String(grpcPort),
    LLM_PROXY_URL: `127.0.0.1:${grpcPort}`,
    LLM_PROXY_HTTP_PORT: String(internalPort),
    LLM_PROXY_ENDPOINT_BENCH_URL: upstreamUrl,
    LLM_PROXY_ENDPOINT_BENCH_MODELS: [...MODELS, ...extraModels].join(','),
    LLM_PROXY_ENDPOINT_BENCH_KEY: 'sk-bench',
    // The load comes from one loopback address standing in for many clients: no per-address cap.
    GATEWAY_MAX_CONNECTIONS_PER_ADDRESS: '0',
    ...settings,
  };
  const nodeFlags = profileDirectory ? ['--cpu-prof', `--cpu-prof-dir=${profileDirectory}`] : [];
  const start = (name, entry) => startProcess(name, process.execPath, [...nodeFlags, `${ROOT}${entry}`], { env, cwd: workDirectory, cores, openFiles });
  const llmProxy = start(`${labelPrefix}llm-proxy`, ENTRIES.llmProxy);
  const gateway = start(`${labelPrefix}gateway`, ENTRIES.gateway);
  const url = `http://127.0.0.1:${httpPort}`;
  await waitForHttp(`${url}/ready`, [llmProxy, gateway]);
  return {
    url,
    llmProxyMetricsUrl: `http://127.0.0.1:${internalPort}/metrics`,
    managed: [gateway, llmProxy],
    groups: [measuredGroup(`${labelPrefix}gateway`, () => [gateway.child.pid]), measuredGroup(`${labelPrefix}llm-proxy`, () => [llmProxy.child.pid])],
  };
}
