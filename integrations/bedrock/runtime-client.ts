/** The Bedrock runtime client as this integration wants it configured. */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ConfigError } from '../../core/errors.js';

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

/**
 * The client a worker's environment configures, with its region (for summaries): the region from `regionVariable`, else AWS_REGION or
 * AWS_DEFAULT_REGION (required; the error names `requiredBy`, the variable that asked for Bedrock), an
 * optional endpoint from `endpointVariable`, and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN)
 * when both are set, else the SDK's default chain (profile, SSO, instance role).
 */
export function createBedrockRuntimeClientFromEnv(
  get: (name: string) => string | undefined,
  variables: { region: string; endpoint: string; requiredBy: string },
): { client: BedrockRuntimeClient; region: string } {
  const region = get(variables.region) ?? get('AWS_REGION') ?? get('AWS_DEFAULT_REGION');
  if (region === undefined)
    throw new ConfigError(`is required when ${variables.requiredBy} is set`, 'AWS_REGION');
  const endpoint = get(variables.endpoint);
  const accessKeyId = get('AWS_ACCESS_KEY_ID');
  const secretAccessKey = get('AWS_SECRET_ACCESS_KEY');
  const sessionToken = get('AWS_SESSION_TOKEN');
  const credentials =
    accessKeyId !== undefined && secretAccessKey !== undefined
      ? { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) }
      : undefined;
  const client = createBedrockRuntimeClient({
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
  });
  return { client, region };
}
