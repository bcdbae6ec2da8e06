/** A worker in a child process, so a test can SIGKILL it; settings arrive through the environment. */
import { runWorker } from '../../workers/main.js';

await runWorker();
