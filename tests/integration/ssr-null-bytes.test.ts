// React 18.3 flushes a whole 2,048-byte view when a multi-byte character does not fit at its end, so the bytes it
// left unwritten reach the page as NULs (seen as "L\0’expéditeur" on /admin/senders). The server's stream cuts them.
import { PassThrough, type Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { createElement } from 'react'
import { renderToPipeableStream } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { StripReactViewPadding } from '~/entry.server.tsx'

/** Many short texts (each under 683 characters, so React packs them into its views), like a real page. */
function page(shift: number): { element: ReturnType<typeof createElement>; html: string } {
  const words = ['x'.repeat(shift), ...Array.from({ length: 300 }, (_, index) => `L’expéditeur n°${index} a été enregistré.`)]
  return {
    element: createElement('ul', null, ...words.map((word, index) => createElement('li', { key: index }, word))),
    html: `<ul>${words.map((word) => `<li>${word}</li>`).join('')}</ul>`,
  }
}

function render(element: ReturnType<typeof createElement>, through: () => PassThrough | StripReactViewPadding): Promise<string> {
  return new Promise((resolve, reject) => {
    const { pipe } = renderToPipeableStream(element, {
      onAllReady() {
        const body = through()
        pipe(body)
        text(body as Readable).then(resolve, reject)
      },
      onError: reject,
    })
  })
}

describe('server rendering of multi-byte text across React views', () => {
  // Shifting the page one byte at a time puts a 2-byte é or a 3-byte ’ across a 2,048-byte boundary.
  const samples = Array.from({ length: 12 }, (_, shift) => page(shift))

  it('the bug is real: without the filter, some pages get NUL bytes', async () => {
    const outputs = await Promise.all(samples.map((sample) => render(sample.element, () => new PassThrough())))
    expect(outputs.filter((html) => html.includes('\0')).length).toBeGreaterThan(0)
  })

  it('with the filter every page renders exactly, with no NUL', async () => {
    for (const sample of samples) {
      const html = await render(sample.element, () => new StripReactViewPadding())
      expect(html).not.toContain('\0')
      expect(html).toBe(sample.html)
    }
  })
})
