/**
 * What `understudy demo --with-tests` runs besides Temporal, all on this machine: the demo system
 * under test (examples/demo-target), and, unless real Jira and Confluence are configured in the
 * environment, the local Jira and Confluence of test/servers seeded with the demo scenarios. The
 * worker then reads scenarios from Jira by JQL and writes comments, Bugs and the run page back, the
 * same code path as against Atlassian Cloud.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { renderAdfDescription } from '../../core/scenarios/adf-render.js';
import { parseScenariosFile } from '../../core/scenarios/index.js';
import type * as ConfluenceServerModule from '../../test/servers/confluence-server.js';
import type * as JiraServerModule from '../../test/servers/jira-server.js';
import type { PipelineConfigInput } from '../../workflows/pipeline/config-schema.js';

/** The demo's scenarios file (also the offline fallback source). */
export const DEMO_SCENARIOS_FILE = 'examples/demo-target/scenarios.yaml';

/** Local stand-ins started for the demo, and how to stop them. */
export interface DemoStack {
  /** The config with the system under test's address and the scenario source filled in. */
  config: PipelineConfigInput;
  /** One line per component, for the console. */
  describe: string[];
  /** Reads what the local Jira and Confluence hold after the run (undefined when real ones were used). */
  local?: { jira: LocalJiraView; confluence: LocalConfluenceView };
  stop(): Promise<void>;
}

/** What the demo prints of the local Jira. */
export interface LocalJiraView {
  url: string;
  comments(): number;
  bugs(): { key: string; summary: string; attachments: number }[];
  statuses(): Record<string, string>;
}

/** What the demo prints of the local Confluence. */
export interface LocalConfluenceView {
  url: string;
  pages(): { id: string; title: string; version: number }[];
}

const DEMO_USER = { email: 'demo@example.com', apiToken: 'demo-token' };

/**
 * Starts the demo target on the SQLite file the config's database target loads, and the local Jira
 * and Confluence when `UNDERSTUDY_JIRA_URL` is not set (setting the worker's environment to point at
 * them). The local servers live in test/servers, so they exist only in a source checkout; without
 * them the scenarios come from the scenarios file and nothing is reported to Jira or Confluence.
 */
export async function startDemoStack(base: PipelineConfigInput): Promise<DemoStack> {
  const config = structuredClone(base);
  const tests = config.tests;
  if (!tests) throw new Error('the demo config has no "tests" section');
  const target = config.targets?.find((t) => t.type === 'database');
  if (!target || target.type !== 'database' || target.url === undefined || !/^sqlite:/.test(target.url)) {
    throw new Error('the demo config needs a SQLite database target (the demo app serves that file)');
  }
  const databaseFile = path.resolve(target.url.replace(/^sqlite:/, ''));
  const { startDemoTarget } = await import('../../examples/demo-target/index.js');
  const app = await startDemoTarget({ databaseFile, port: 0 });
  const stops: (() => Promise<void>)[] = [() => app.close()];
  const describe = [`demo app (system under test): ${app.url}  (database ${databaseFile})`];
  tests.environment = { ...tests.environment, baseUrl: app.url };

  let local: DemoStack['local'];
  if (!process.env.UNDERSTUDY_JIRA_URL) {
    const servers = await importLocalServers();
    if (servers) {
      const jira = await servers.startJiraServer({
        basic: DEMO_USER,
        projects: { DEMO: ['Test', 'Bug'] },
      });
      stops.push(() => jira.stop());
      const scenarios = parseScenariosFile(await readFile(DEMO_SCENARIOS_FILE, 'utf8'), {
        file: DEMO_SCENARIOS_FILE,
      });
      for (const s of scenarios) {
        jira.seedIssue({
          project: 'DEMO',
          issueType: 'Test',
          summary: s.title,
          labels: s.labels,
          description: renderAdfDescription(s),
        });
      }
      const confluence = await servers.startConfluenceServer({ ...DEMO_USER, spaces: { DEMO: 'Demo' } });
      stops.push(() => confluence.stop());
      Object.assign(process.env, {
        UNDERSTUDY_JIRA_URL: jira.url,
        UNDERSTUDY_JIRA_EMAIL: DEMO_USER.email,
        UNDERSTUDY_JIRA_API_TOKEN: DEMO_USER.apiToken,
        UNDERSTUDY_CONFLUENCE_HOST: confluence.url,
        UNDERSTUDY_CONFLUENCE_EMAIL: DEMO_USER.email,
        UNDERSTUDY_CONFLUENCE_API_TOKEN: DEMO_USER.apiToken,
        UNDERSTUDY_CONFLUENCE_SPACE: 'DEMO',
      });
      describe.push(`local Jira (${scenarios.length} scenarios seeded as DEMO issues): ${jira.url}`);
      describe.push(`local Confluence (space DEMO): ${confluence.url}`);
      local = {
        jira: {
          url: jira.url,
          comments: () => [...jira.issues.values()].reduce((n, i) => n + i.comments.length, 0),
          bugs: () =>
            [...jira.issues.values()]
              .filter((i) => i.issueType === 'Bug')
              .map((i) => ({ key: i.key, summary: i.summary, attachments: i.attachments.length })),
          statuses: () =>
            Object.fromEntries(
              [...jira.issues.values()].filter((i) => i.issueType === 'Test').map((i) => [i.key, i.status]),
            ),
        },
        confluence: {
          url: confluence.url,
          pages: () =>
            [...confluence.pages.values()]
              .filter((p) => p.spaceKey === 'DEMO')
              .map((p) => ({ id: p.id, title: p.title, version: p.version })),
        },
      };
    } else {
      // No local servers (installed package): offline scenarios, no reporting.
      tests.scenarios = { file: DEMO_SCENARIOS_FILE };
      tests.report = {};
      describe.push(`scenarios: ${DEMO_SCENARIOS_FILE} (no Jira configured; results stay in the run report)`);
    }
  } else {
    describe.push(`Jira: ${process.env.UNDERSTUDY_JIRA_URL} (from the environment)`);
  }
  return {
    config,
    describe,
    ...(local ? { local } : {}),
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}

type LocalServers = typeof JiraServerModule & typeof ConfluenceServerModule;

async function importLocalServers(): Promise<LocalServers | undefined> {
  try {
    const jira = await import('../../test/servers/jira-server.js');
    const confluence = await import('../../test/servers/confluence-server.js');
    return { ...jira, ...confluence };
  } catch {
    return undefined;
  }
}
