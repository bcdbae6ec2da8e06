/**
 * What the report stage needs from Confluence, independent of the client library: one page per
 * run, created or updated in place. Publishing is safe to repeat (activities run at least once).
 */

/** Input of {@link ConfluencePagePort.publishPage}. */
export interface PublishPageInput {
  /** Space the page lives in, e.g. `QA`. */
  spaceKey: string;
  /** Page title; unique within the space, and what a retried publish finds the page by. */
  title: string;
  /** The body in Confluence storage format (XHTML). */
  storage: string;
  /** Page to create the page under; an existing page is not moved. @default the space's top level */
  parentId?: string;
  /** Recorded as the version comment (the body hash is appended). @default 'Published by Understudy' */
  versionMessage?: string;
}

/** What {@link ConfluencePagePort.publishPage} did. */
export interface PublishPageResult {
  pageId: string;
  /** Browser URL of the page. */
  url: string;
  /** The page's version after publishing. */
  version: number;
  /** `unchanged` when the page already had this body (a retry, or a re-run with the same results). */
  action: 'created' | 'updated' | 'unchanged';
}

/** The Confluence operations of the report stage. */
export interface ConfluencePagePort {
  /** Creates the page, or updates it (version + 1) when its body differs; never makes a second page. */
  publishPage(input: PublishPageInput): Promise<PublishPageResult>;
}
