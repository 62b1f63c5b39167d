/** The plugin id: the folder name, `nachosPlugin.id`, and the `providerId` on every error. */
export const ANTHROPIC_PLUGIN_ID = 'anthropic';
