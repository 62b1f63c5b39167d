import { ConfigError, readSecretEnv, type Environment, type ProfileConfig } from '@nachos/common';
import type { Credential } from '../routing/credential.js';
import type { EndpointDefinition } from './endpoint-definition.js';

/**
 * The credentials each endpoint rotates through: the `[[llm.profiles]]` whose `provider` names the
 * endpoint's plugin or its id, in `profile_order` (then file order); else the endpoint's own key.
 * A profile whose key variable is unset stops start-up, naming the variable.
 */
export function assignProfiles(
  endpoint: EndpointDefinition,
  profiles: readonly ProfileConfig[],
  profileOrder: readonly string[],
  env: Environment,
): Credential[] {
  const matching = profiles.filter((profile) => profile.provider === endpoint.provider || profile.provider === endpoint.id);
  if (matching.length === 0) return [{ name: 'default', ...(endpoint.apiKey ? { apiKey: endpoint.apiKey } : {}) }];
  const rank = (profile: ProfileConfig) => {
    const position = profileOrder.indexOf(profile.name);
    return position === -1 ? profileOrder.length + profiles.indexOf(profile) : position;
  };
  return [...matching]
    .sort((a, b) => rank(a) - rank(b))
    .map((profile) => {
      const apiKey = readSecretEnv(env, profile.api_key_env);
      if (!apiKey) {
        throw new ConfigError(`[[llm.profiles]] "${profile.name}": ${profile.api_key_env} (or ${profile.api_key_env}_FILE) is not set`);
      }
      return { name: profile.name, apiKey };
    });
}
