// Runs axe-core (WCAG rules) inside the page under test and keeps what RGAA/WCAG 2.1 AA reviews would block.
import axe from 'axe-core'
import type { Page } from 'playwright-core'

/** The serious and critical violations axe-core finds on the page, as "rule: target" lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source })
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document)
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
  })
}
