/**
 * S3 client settings from the worker's environment: the standard AWS variables (region, credentials,
 * AWS_ENDPOINT_URL_S3) plus UNDERSTUDY_S3_* for S3-compatible servers such as MinIO.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { ConfigError } from '../../core/errors.js';

/** How to reach S3 or an S3-compatible server. */
export interface S3Settings {
  /** @default "us-east-1" (AWS_REGION, AWS_DEFAULT_REGION) */
  region: string;
  /** Endpoint of an S3-compatible server (UNDERSTUDY_S3_ENDPOINT); the SDK also reads AWS_ENDPOINT_URL_S3 itself. */
  endpoint?: string;
  /** Path-style URLs (`host/bucket/key`), which MinIO-like servers need. @default true when an endpoint is set */
  forcePathStyle: boolean;
  /** Explicit credentials; when absent the SDK's default chain (environment, profile, instance role) applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Bytes per multipart part. @default 8 MiB (UNDERSTUDY_S3_PART_SIZE_MB) */
  partSize: number;
  /** Parts uploaded at once; memory is about partSize × queueSize. @default 4 (UNDERSTUDY_S3_QUEUE_SIZE) */
  queueSize: number;
  /** Attempts per request, retries included. @default 5 (UNDERSTUDY_S3_MAX_ATTEMPTS) */
  maxAttempts: number;
}

const MIB = 1024 * 1024;

/** Reads {@link S3Settings} from environment variables (process.env by default). */
export function readS3Settings(env: NodeJS.ProcessEnv = process.env): S3Settings {
  const endpoint = env.UNDERSTUDY_S3_ENDPOINT?.trim() || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new ConfigError('must be an http(s):// URL', 'UNDERSTUDY_S3_ENDPOINT');
  }
  const pathStyle = env.UNDERSTUDY_S3_FORCE_PATH_STYLE?.trim().toLowerCase();
  const partMb = numberVar(env, 'UNDERSTUDY_S3_PART_SIZE_MB', 8, 5, 5 * 1024);
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  return {
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    endpoint,
    forcePathStyle:
      pathStyle === undefined || pathStyle === ''
        ? endpoint !== undefined
        : ['1', 'true', 'yes'].includes(pathStyle),
    credentials:
      accessKeyId && secretAccessKey
        ? {
            accessKeyId,
            secretAccessKey,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          }
        : undefined,
    partSize: Math.round(partMb * MIB),
    queueSize: numberVar(env, 'UNDERSTUDY_S3_QUEUE_SIZE', 4, 1, 64),
    maxAttempts: numberVar(env, 'UNDERSTUDY_S3_MAX_ATTEMPTS', 5, 1, 20),
  };
}

/** An S3 client for the settings (standard retry strategy: 5xx, throttling and network errors are retried). */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    forcePathStyle: settings.forcePathStyle,
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    maxAttempts: settings.maxAttempts,
  });
}

function numberVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new ConfigError(`must be a number from ${min} to ${max}`, name);
  return value;
}
