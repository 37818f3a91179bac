-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "publishedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "EventMessage_registrationId_kind_status_idx" ON "EventMessage"("registrationId", "kind", "status");

-- CreateIndex
CREATE INDEX "EventMessage_seriesRegistrationId_kind_idx" ON "EventMessage"("seriesRegistrationId", "kind");

-- Events already public: published (or cancelled after being published, as far as can be told: registrations or a
-- calendar change show it was seen) keep their place in the feeds
UPDATE "Event" SET "publishedAt" = "createdAt"
WHERE "status" = 'PUBLISHED'
   OR ("status" = 'CANCELLED' AND ("icalSequence" > 0 OR EXISTS (SELECT 1 FROM "Registration" r WHERE r."eventId" = "Event"."id")));
