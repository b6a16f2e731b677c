import type { Page } from 'playwright-core';

/**
 * Collects the Content Security Policy violations a page and its frames report: Chromium's console
 * messages and the `securitypolicyviolation` events. Call before the first navigation.
 */
export async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  await page.exposeFunction('__reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline code'}`);
    });
  });
  return violations;
}
