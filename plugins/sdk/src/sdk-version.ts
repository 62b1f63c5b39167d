/** This SDK's version; plugins declare the range they need in `nachosPlugin.sdk`. Kept equal to package.json by a test. */
export const SDK_VERSION = '0.1.0';
