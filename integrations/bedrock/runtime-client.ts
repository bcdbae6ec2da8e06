/** The Bedrock runtime client as this integration wants it configured. */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';

/** Options of {@link createBedrockRuntimeClient}. */
export interface BedrockClientOptions {
  /** AWS region, e.g. `us-east-1`. */
  region: string;
  /** A custom endpoint (VPC endpoint, local test server). @default the regional Bedrock endpoint */
  endpoint?: string;
  /** Static credentials; omitted, the AWS default credential chain is used (env, profile, SSO, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * A client whose own retries are off (`maxAttempts: 1`): throttling is retried by this
 * integration, with its bounded backoff and its counters, not twice over.
 */
export function createBedrockRuntimeClient(options: BedrockClientOptions): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: options.region,
    maxAttempts: 1,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
}
