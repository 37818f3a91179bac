// Reads a V8 CPU profile (`node --cpu-prof`) and lists where the time went: self time by function, the heaviest
// first, as markdown table rows. Enough to tell whether composing, signing, SMTP, the database or the queue dominates.
interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
}

const shortUrl = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/work\/main\//, '')

export function summariseProfile(json: string, top: number): string[] {
  const profile = JSON.parse(json) as CpuProfile
  const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0) || 1
  const byFunction = new Map<string, number>()
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame
    const name = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim()
    byFunction.set(name, (byFunction.get(name) ?? 0) + (node.hitCount ?? 0))
  }
  const byPackage = new Map<string, number>()
  for (const node of profile.nodes) {
    const url = node.callFrame.url
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
    const area = match ? match[1]! : url.includes('/work/main/') ? shortUrl(url).split('/').slice(0, 2).join('/') : url ? 'node internals' : node.callFrame.functionName || '(other)'
    byPackage.set(area, (byPackage.get(area) ?? 0) + (node.hitCount ?? 0))
  }
  const rows = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => `| ${name.replace(/\|/g, '\\|')} | ${((100 * hits) / total).toFixed(1)} % |`)
  return ['| function | self time |', '| --- | --- |', ...rows(byFunction), '', '| package or area | self time |', '| --- | --- |', ...rows(byPackage)]
}
