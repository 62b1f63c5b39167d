import { type ComposeFile, environmentOf, secretSourcesOf } from './compose-file.js';
import { EGRESS_SERVICE, PUBLIC_SERVICE } from './topology-policy.js';

/** Every provider credential llm-proxy reads (GEMINI_API_KEY is GOOGLE_API_KEY's alias). */
export const PROVIDER_KEYS = [
  'ANTHROPIC_API_KEY',
  'OPENAI_API_KEY',
  'GOOGLE_API_KEY',
  'PERPLEXITY_API_KEY',
  'GROQ_API_KEY',
  'MISTRAL_API_KEY',
  'DEEPSEEK_API_KEY',
  'XAI_API_KEY',
  'OPENROUTER_API_KEY',
  'TOGETHER_API_KEY',
  'FIREWORKS_API_KEY',
  'SAMBANOVA_API_KEY',
  'AZURE_OPENAI_API_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
] as const;

/** The gateway's own secrets: client keys and the admin key. */
export const GATEWAY_KEYS = ['NACHOS_API_KEYS', 'NACHOS_ADMIN_KEY'] as const;

/** Names that carry a credential, whatever the provider: these never take a literal value in a compose file. */
const SECRET_NAME = /(_API_KEYS?|_ADMIN_KEY|_ACCESS_KEY_ID|_SECRET_ACCESS_KEY|_SESSION_TOKEN|_TOKEN|_SECRET|_PASSWORD|_KEY)$/;
const PROVIDER_SECRET_NAME = /^(?!NACHOS_)[A-Z0-9_]+(_API_KEY|_ACCESS_KEY_ID|_SECRET_ACCESS_KEY|_SESSION_TOKEN)$|^LLM_PROXY_ENDPOINT_[A-Z0-9_]+_KEY$/;

/** Shapes of real credentials, so that a key pasted anywhere in a file (a label, a command) is caught too. */
const CREDENTIAL_SHAPES = [
  /sk-(ant-|proj-)?[A-Za-z0-9_-]{16,}/,
  /AKIA[0-9A-Z]{16}/,
  /AIza[0-9A-Za-z_-]{30,}/,
  /gsk_[A-Za-z0-9]{20,}/,
  /xai-[A-Za-z0-9]{20,}/,
  /pplx-[A-Za-z0-9]{20,}/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

function baseName(variable: string): string {
  return variable.endsWith('_FILE') ? variable.slice(0, -'_FILE'.length) : variable;
}

/**
 * Where credentials may appear: provider keys in llm-proxy alone, gateway keys in the gateway alone, and
 * never as literal text in the file. On swarm every credential is read from a Docker secret through its
 * `_FILE` variable, the secret is external and its name carries a version (secrets are immutable, so a
 * rotation is a new name).
 */
export function checkKeyPlacement(file: ComposeFile, flavour: 'compose' | 'swarm'): string[] {
  const violations: string[] = [];
  walkStrings(file, '', (path, value) => {
    if (CREDENTIAL_SHAPES.some((shape) => shape.test(value))) violations.push(`${path} holds what looks like a credential`);
  });

  for (const [serviceName, service] of Object.entries(file.services)) {
    const environment = environmentOf(service);
    const secrets = new Set(secretSourcesOf(service));
    for (const [variable, value] of environment) {
      const name = baseName(variable);
      if (PROVIDER_SECRET_NAME.test(name) && serviceName !== EGRESS_SERVICE) {
        violations.push(`${serviceName} is given provider credential ${variable}`);
      }
      if ((GATEWAY_KEYS as readonly string[]).includes(name) && serviceName !== PUBLIC_SERVICE) {
        violations.push(`${serviceName} is given gateway credential ${variable}`);
      }
      if (!SECRET_NAME.test(name)) continue;
      if (flavour === 'compose') {
        const passedThrough = value === undefined || /^\$\{[A-Z0-9_]+(:?-)?\}$/.test(value);
        if (!variable.endsWith('_FILE') && !passedThrough) violations.push(`${serviceName} sets ${variable} to a literal value`);
        continue;
      }
      if (!variable.endsWith('_FILE')) {
        violations.push(`${serviceName} takes ${variable} from the environment; on swarm it must come from a secret (${variable}_FILE)`);
        continue;
      }
      const source = value?.match(/^\/run\/secrets\/([A-Za-z0-9_.-]+)$/)?.[1];
      if (!source) {
        violations.push(`${serviceName}: ${variable} must point into /run/secrets, not ${value ?? 'nothing'}`);
      } else if (!secrets.has(source)) {
        violations.push(`${serviceName}: ${variable} reads secret ${source}, which the service does not mount`);
      }
    }
    if (flavour === 'swarm') {
      for (const source of secrets) {
        const declared = file.secrets?.[source];
        if (declared?.external !== true) violations.push(`secret ${source} must be external (created with docker secret create)`);
        else if (!/_v\d+$/.test(declared.name ?? '')) violations.push(`secret ${source} needs a versioned name (…_v1), not ${declared.name ?? 'none'}`);
      }
    }
  }

  if (flavour === 'swarm') {
    const proxyEnvironment = environmentOf(file.services[EGRESS_SERVICE] ?? {});
    for (const key of PROVIDER_KEYS) {
      if (!proxyEnvironment.has(`${key}_FILE`)) violations.push(`${EGRESS_SERVICE} does not read ${key}_FILE`);
    }
    const gatewayEnvironment = environmentOf(file.services[PUBLIC_SERVICE] ?? {});
    for (const key of GATEWAY_KEYS) {
      if (!gatewayEnvironment.has(`${key}_FILE`)) violations.push(`${PUBLIC_SERVICE} does not read ${key}_FILE`);
    }
  }
  return violations;
}

function walkStrings(value: unknown, path: string, visit: (path: string, value: string) => void): void {
  if (typeof value === 'string') visit(path || '/', value);
  else if (Array.isArray(value)) value.forEach((item, index) => walkStrings(item, `${path}/${index}`, visit));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walkStrings(item, `${path}/${key}`, visit);
  }
}
