/**
 * A configuration problem that must stop start-up. The message names the key or variable at fault and
 * never contains a secret's value.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
