/**
 * Which outside systems the test stages may use, read from the worker's environment: Jira (scenarios
 * in, comments, transitions and Bugs out), Confluence (the run page) and Bedrock (test generation).
 * Nothing is configured unless its variables are set; credentials never enter workflow history.
 */
import { createConfluencePagePublisher, readConfluencePublisherSettings } from './confluence/index.js';
import type { ConfluencePagePort } from './confluence/index.js';
import { createJiraClient, readJiraSettings, type JiraPort } from './jira/index.js';
import { readBedrockTestGeneratorFromEnv, type BedrockTestGenerator } from './test-generation/index.js';

/** The configured systems, and one line each (without secrets) for the worker's start-up log. */
export interface TestIntegrations {
  jira?: JiraPort;
  confluence?: { pages: ConfluencePagePort; spaceKey: string; parentId?: string };
  /** Writes tests with Bedrock for runs with `generator: "bedrock"`. */
  bedrock?: BedrockTestGenerator;
  summary: string[];
}

/** Reads Jira, Confluence and Bedrock settings for the test stages from `env`. */
export function readTestIntegrationsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): TestIntegrations {
  const out: TestIntegrations = { summary: [] };
  const jira = readJiraSettings(env as NodeJS.ProcessEnv);
  if (jira) {
    out.jira = createJiraClient({ settings: jira });
    out.summary.push(`jira: ${jira.host} (${jira.auth.kind} auth)`);
  }
  const confluence = readConfluencePublisherSettings(env);
  if (confluence) {
    out.confluence = {
      pages: createConfluencePagePublisher({
        host: confluence.host,
        auth: confluence.auth,
        ...(confluence.apiPrefix !== undefined ? { apiPrefix: confluence.apiPrefix } : {}),
      }),
      spaceKey: confluence.spaceKey,
      ...(confluence.parentId !== undefined ? { parentId: confluence.parentId } : {}),
    };
    out.summary.push(`confluence run pages: space ${confluence.spaceKey} on ${confluence.host}`);
  }
  const bedrock = readBedrockTestGeneratorFromEnv(env);
  if (bedrock) {
    out.bedrock = bedrock.generator;
    out.summary.push(bedrock.summary);
  }
  return out;
}
