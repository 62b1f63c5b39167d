/** The plugin id: the folder name, `nachosPlugin.id`, and the `providerId` on every error. */
export const BEDROCK_PLUGIN_ID = 'bedrock';
