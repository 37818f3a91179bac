// Any address no route claims: a French 404 inside the public chrome.
export function loader() {
  throw new Response('Not Found', { status: 404 })
}

export default function NotFound() {
  return null
}
