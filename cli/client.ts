/** Client-side connection to Temporal for the CLI: address and namespace from the environment or flags. */
import { Client, Connection } from '@temporalio/client';

/** Connection settings shared by every client command. */
export interface ClientOptions {
  address?: string;
  namespace?: string;
}

/** Connects a Temporal client; the caller closes `connection`. */
export async function connectClient(
  opts: ClientOptions = {},
): Promise<{ client: Client; connection: Connection }> {
  const address = opts.address ?? process.env.TEMPORAL_ADDRESS ?? 'localhost:7233';
  const connection = await Connection.connect({ address });
  const client = new Client({
    connection,
    namespace: opts.namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default',
  });
  return { client, connection };
}

/** Runs `fn` with a connected client and always closes the connection. */
export async function withClient<T>(opts: ClientOptions, fn: (client: Client) => Promise<T>): Promise<T> {
  const { client, connection } = await connectClient(opts);
  try {
    return await fn(client);
  } finally {
    await connection.close();
  }
}
