import { isRecord } from '@nachos/plugin-sdk';

/**
 * The `deployments` option, in either form it may take: a table (`{ "gpt-4o" = "my-gpt4o" }`) or a
 * list of `model=deployment` pairs (`["gpt-4.1=my-gpt41"]`). The list exists because the config
 * loader reads a dot inside a table key as nesting, so a table cannot name `gpt-4.1`.
 */
export function readDeployments(value: unknown): Map<string, string> {
  const deployments = new Map<string, string>();
  if (Array.isArray(value)) {
    for (const pair of value as unknown[]) {
      const [model, deployment] = splitPair(pair);
      deployments.set(model, deployment);
    }
  } else if (isRecord(value)) {
    for (const [model, deployment] of Object.entries(value)) {
      if (typeof deployment !== 'string' || deployment.trim() === '') {
        throw new Error(`deployment for "${model}" must be a non-empty string`);
      }
      deployments.set(model, deployment.trim());
    }
  } else {
    throw new Error('must be a table of model = "deployment" or a list of "model=deployment"');
  }
  return deployments;
}

/** Validates the option for the config loader (convict calls it with the raw value). */
export function validateDeployments(value: unknown): void {
  readDeployments(value);
}

function splitPair(pair: unknown): [string, string] {
  const separator = typeof pair === 'string' ? pair.indexOf('=') : -1;
  const model = typeof pair === 'string' ? pair.slice(0, separator).trim() : '';
  const deployment = typeof pair === 'string' ? pair.slice(separator + 1).trim() : '';
  if (separator <= 0 || model === '' || deployment === '') {
    throw new Error(`"${String(pair)}" is not a "model=deployment" pair`);
  }
  return [model, deployment];
}
