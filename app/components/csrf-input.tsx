// Owns the hidden CSRF field every staff form carries, and the context that hands the page's token to it.
import { createContext, useContext } from 'react'

/** Name of the field; app/utils/csrf.server.ts reads it. */
export const CSRF_FIELD = 'csrf'

const CsrfContext = createContext<string | null>(null)

export function CsrfProvider({ token, children }: { token: string; children: React.ReactNode }) {
  return <CsrfContext.Provider value={token}>{children}</CsrfContext.Provider>
}

/** The token, for a script that submits without a form (send it as the X-CSRF-Token header or the csrf field). */
export function useCsrfToken(): string {
  const token = useContext(CsrfContext)
  if (!token) throw new Error('useCsrfToken outside <CsrfProvider>: render the form inside the staff shell or the sign-in page')
  return token
}

/** Put inside every <Form method="post"> of the staff area and the sign-in pages. */
export function CsrfInput() {
  return <input type="hidden" name={CSRF_FIELD} value={useCsrfToken()} />
}
