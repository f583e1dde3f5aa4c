/** Settings of the S3-compatible blob store, read from `LISTO_S3_*`. */

export interface S3Settings {
  /** e.g. `https://s3.eu-west-1.amazonaws.com` or `http://minio:9000`. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** `LISTO_S3_*` from the environment; null when no bucket is configured (the filesystem store is used). */
export function s3SettingsFromEnv(env: NodeJS.ProcessEnv): S3Settings | null {
  const bucket = env.LISTO_S3_BUCKET?.trim();
  if (!bucket) return null;
  const region = env.LISTO_S3_REGION?.trim() || 'us-east-1';
  const settings = {
    endpoint: (env.LISTO_S3_ENDPOINT?.trim() || `https://s3.${region}.amazonaws.com`).replace(/\/+$/, ''),
    bucket,
    region,
    accessKeyId: env.LISTO_S3_ACCESS_KEY_ID?.trim() ?? '',
    secretAccessKey: env.LISTO_S3_SECRET_ACCESS_KEY?.trim() ?? '',
  };
  if (!settings.accessKeyId || !settings.secretAccessKey) throw new Error('LISTO_S3_BUCKET needs LISTO_S3_ACCESS_KEY_ID and LISTO_S3_SECRET_ACCESS_KEY');
  if (!/^https?:\/\//.test(settings.endpoint)) throw new Error('LISTO_S3_ENDPOINT must be an http(s) URL');
  return settings;
}
