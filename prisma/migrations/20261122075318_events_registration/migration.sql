-- CreateEnum
CREATE TYPE "RegistrationSource" AS ENUM ('PUBLIC', 'SERIES', 'STAFF');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "EventMessageKind" ADD VALUE 'ALREADY_REGISTERED';
ALTER TYPE "EventMessageKind" ADD VALUE 'PENDING_APPROVAL';
ALTER TYPE "EventMessageKind" ADD VALUE 'REFUSED';
ALTER TYPE "EventMessageKind" ADD VALUE 'EVENT_CANCELLED';
ALTER TYPE "EventMessageKind" ADD VALUE 'SERIES_CONFIRMATION';
ALTER TYPE "EventMessageKind" ADD VALUE 'SERIES_CANCELLED';

-- AlterTable
ALTER TABLE "SeriesRegistration" ADD COLUMN     "actorType" "ActorType",
ADD COLUMN     "firstName" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "lastName" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "locale" TEXT NOT NULL DEFAULT 'fr',
ADD COLUMN     "organization" TEXT,
ADD COLUMN     "territory" TEXT;

-- AlterTable
ALTER TABLE "Registration" ADD COLUMN     "source" "RegistrationSource" NOT NULL DEFAULT 'PUBLIC',
ADD COLUMN     "waitlistedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "EventMessage" ADD COLUMN     "announcementId" INTEGER,
ADD COLUMN     "seriesId" INTEGER,
ADD COLUMN     "seriesRegistrationId" INTEGER,
ALTER COLUMN "eventId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "EventAnnouncement" (
    "id" SERIAL NOT NULL,
    "eventId" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "filter" JSONB NOT NULL DEFAULT '{}',
    "recipientCount" INTEGER NOT NULL DEFAULT 0,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EventAnnouncement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EventAnnouncement_eventId_createdAt_idx" ON "EventAnnouncement"("eventId", "createdAt");

-- CreateIndex
CREATE INDEX "Registration_eventId_status_waitlistedAt_idx" ON "Registration"("eventId", "status", "waitlistedAt");

-- CreateIndex
CREATE INDEX "Registration_seriesRegistrationId_idx" ON "Registration"("seriesRegistrationId");

-- CreateIndex
CREATE INDEX "EventMessage_announcementId_idx" ON "EventMessage"("announcementId");

-- AddForeignKey
ALTER TABLE "EventMessage" ADD CONSTRAINT "EventMessage_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "Series"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventMessage" ADD CONSTRAINT "EventMessage_seriesRegistrationId_fkey" FOREIGN KEY ("seriesRegistrationId") REFERENCES "SeriesRegistration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventMessage" ADD CONSTRAINT "EventMessage_announcementId_fkey" FOREIGN KEY ("announcementId") REFERENCES "EventAnnouncement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventAnnouncement" ADD CONSTRAINT "EventAnnouncement_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;
