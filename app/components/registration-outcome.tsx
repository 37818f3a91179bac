// Owns how the registrations, check-in and attendance pages report an action: a sentence already translated (with
// its values), announced politely when it went well and at once when it did not.
export function RegistrationOutcome({ notice, error }: { notice?: string | null; error?: string | null }) {
  return (
    <>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <div className="error-summary" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
    </>
  )
}
