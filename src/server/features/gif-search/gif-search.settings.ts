/** GIF search settings, read from the environment: a Giphy API key turns the web app's GIF search on. */

export interface GifSearchSettings {
  provider: 'giphy';
  apiKey: string;
  /** `https://api.giphy.com` unless overridden (tests point it at a local server). */
  baseUrl: string;
}

export function gifSearchSettingsFromEnv(env: NodeJS.ProcessEnv): GifSearchSettings | null {
  const apiKey = env.LISTO_GIPHY_API_KEY?.trim();
  if (!apiKey) return null;
  const baseUrl = (env.LISTO_GIPHY_BASE_URL?.trim() || 'https://api.giphy.com').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(baseUrl)) throw new Error('LISTO_GIPHY_BASE_URL must be an http(s) URL');
  return { provider: 'giphy', apiKey, baseUrl };
}
