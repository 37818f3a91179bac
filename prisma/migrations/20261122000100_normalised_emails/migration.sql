-- Emails are stored normalised (trimmed, lower case) so that the plain unique indexes are case-insensitive.
-- Prisma schema language has no CHECK constraints, so these are kept by hand (the drift test ignores them).
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_email_normalised" CHECK ("email" = lower(btrim("email")));
ALTER TABLE "StaffUser" ADD CONSTRAINT "StaffUser_email_normalised" CHECK ("email" = lower(btrim("email")));
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_email_normalised" CHECK ("email" = lower(btrim("email")));
ALTER TABLE "SeriesRegistration" ADD CONSTRAINT "SeriesRegistration_email_normalised" CHECK ("email" = lower(btrim("email")));
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_single_row" CHECK ("id" = 1);
