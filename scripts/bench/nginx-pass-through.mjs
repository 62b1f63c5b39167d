/**
 * nginx as a plain reverse proxy in front of the fake upstream: the floor any proxy pays (a second hop on
 * loopback, one parse of the request and of the response). Unbuffered so streams pass chunk by chunk, HTTP/1.1
 * keep-alive to the upstream as a proxy in production would use, one worker, everything (config, pid, logs,
 * temp paths) in a temp dir, so it runs as any user and never touches the system's nginx.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.mjs';
import { startProcess } from './managed-processes.mjs';
import { childPids, measuredGroup } from './process-usage.mjs';
import { waitForHttp } from './wait-for-http.mjs';

/** The nginx binary on PATH or at Debian's /usr/sbin/nginx, or undefined. */
export function findNginx() {
  const candidates = [...(process.env.PATH ?? '').split(':').filter(Boolean).map((dir) => join(dir, 'nginx')), '/usr/sbin/nginx'];
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function nginxConfig(directory, port, upstreamPort, temporaryKinds) {
  const tempPaths = temporaryKinds.map((kind) => `  ${kind}_temp_path ${join(directory, kind)};`);
  return `worker_processes 1;
daemon off;
pid ${join(directory, 'nginx.pid')};
error_log ${join(directory, 'error.log')} warn;
events { worker_connections 8192; }
http {
  access_log off;
${tempPaths.join('\n')}
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  upstream fake_upstream {
    server 127.0.0.1:${upstreamPort};
    keepalive 128;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://fake_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
`;
}

/**
 * Starts nginx in `directory` (on `cores` when given); resolves with its URL, its version and its processes
 * (master + worker).
 */
export async function startNginx(binary, directory, upstreamPort, cores) {
  // `nginx -V` (on stderr): the version, and the configure flags that say which temp paths exist.
  const build = spawnSync(binary, ['-V'], { encoding: 'utf8' }).stderr ?? '';
  const version = /nginx version: (\S+)/.exec(build)?.[1] ?? 'nginx';
  const modules = ['fastcgi', 'uwsgi', 'scgi'].filter((kind) => !build.includes(`--without-http_${kind}_module`));
  const temporaryKinds = ['client_body', 'proxy', ...modules];
  for (const kind of temporaryKinds) mkdirSync(join(directory, kind), { recursive: true });
  const port = await freePort();
  const configPath = join(directory, 'nginx.conf');
  writeFileSync(configPath, nginxConfig(directory, port, upstreamPort, temporaryKinds));
  // `-e` (1.19.5+) keeps nginx from opening the system's error log before it has read the config.
  const [major, minor, patch] = (/nginx\/(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1) ?? []).map(Number);
  const hasErrorLogFlag = major > 1 || (major === 1 && (minor > 19 || (minor === 19 && patch >= 5)));
  const errorLogFlag = hasErrorLogFlag ? ['-e', join(directory, 'error.log')] : [];
  const nginx = startProcess('nginx', binary, ['-p', directory, '-c', configPath, ...errorLogFlag], { cores });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/v1/models`, [nginx]);
  const pid = nginx.child.pid;
  return { url, version, managed: nginx, groups: [measuredGroup('nginx', () => [pid, ...childPids(pid)])] };
}
