// The document shell: language, organisation name, public or staff chrome chosen by the routes below.
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from './components/error-boundary.tsx'
import stylesheet from './styles/app.css?url'
import { getOrganization } from './models/organization.server.ts'
import { getLocale, localeCookie } from './utils/i18n.server.ts'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesheet }]

/** The organisation's name as the default title; a route with a title of its own replaces it. */
export const meta: MetaFunction<typeof loader> = ({ data: root }) => [{ title: root?.organization.name ?? 'Relais' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const organization = await getOrganization()
  const headers = new Headers()
  // Remember an explicit choice (?lang=en) for the next pages.
  if (new URL(request.url).searchParams.has('lang')) headers.append('Set-Cookie', await localeCookie.serialize(locale))
  return data({ locale, organization: { name: organization.name, postalAddress: organization.postalAddress } }, { headers })
}

export function useRootData() {
  return useRouteLoaderData<typeof loader>('root')
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRootData()
  const locale = root?.locale ?? 'fr'
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
