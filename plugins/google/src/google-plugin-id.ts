/** The plugin id: the folder name, `nachosPlugin.id`, and the `providerId` on every error. */
export const GOOGLE_PLUGIN_ID = 'google';
