/** Whether a path exists (any kind of entry), without throwing. */
import { access } from 'node:fs/promises';

/** True when `path` can be accessed; false when it is missing or unreachable. */
export async function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
