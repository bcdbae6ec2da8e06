/**
 * Mail domains for fake email addresses. Only the names RFC 2606 / RFC 6761 reserve for
 * documentation (example.com, example.org, example.net and their subdomains) are used: a fake
 * address must never reach a real mailbox at a free-mail provider or at a company that happens to
 * own `mueller.de`, when a test environment sends mail.
 */

/** Reserved domains standing in for personal (free-mail) addresses. */
export const EXAMPLE_MAIL_DOMAINS: readonly string[] = [
  'example.com',
  'example.org',
  'example.net',
  'mail.example.com',
  'mail.example.org',
  'mail.example.net',
];

/** Reserved parents under which company-like domains are made (`mueller.example.com`). */
export const EXAMPLE_PARENT_DOMAINS: readonly string[] = ['example.com', 'example.org', 'example.net'];

/** Whether a domain is one of the reserved example domains or a subdomain of one. */
export function isExampleDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  return EXAMPLE_PARENT_DOMAINS.some((p) => d === p || d.endsWith(`.${p}`));
}
