/** Cooldown keys: `<endpoint>/<credential>` for a whole key, `<endpoint>/<credential>/<model>` per model. */
export function credentialCooldownKey(endpoint: string, credential: string): string {
  return `${endpoint}/${credential}`;
}

export function modelCooldownKey(endpoint: string, credential: string, model: string): string {
  return `${endpoint}/${credential}/${model}`;
}
