-- Staff search contacts by any part of the email, the name or the organisation (LIKE '%text%'). Trigram GIN
-- indexes answer that without reading every row, which a million contacts need. Prisma schema language cannot
-- express the extension or expression indexes, so they are kept by hand here and the drift test ignores
-- indexes named *_trgm_idx. The expressions must stay identical to those in app/models/contact-directory.server.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "Contact_email_trgm_idx" ON "Contact" USING gin ("email" gin_trgm_ops);

CREATE INDEX "Contact_name_trgm_idx" ON "Contact" USING gin ((lower(coalesce("firstName", '') || ' ' || coalesce("lastName", ''))) gin_trgm_ops);

CREATE INDEX "Contact_organization_trgm_idx" ON "Contact" USING gin ((lower(coalesce("organization", ''))) gin_trgm_ops);
