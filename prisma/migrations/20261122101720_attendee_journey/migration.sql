-- AlterEnum
ALTER TYPE "RegistrationSource" ADD VALUE 'INVITATION';

-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "followUpAbsentMessage" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "followUpAttendedMessage" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "followUpsRecordedAt" TIMESTAMP(3),
ADD COLUMN     "joinOpensMinutes" INTEGER NOT NULL DEFAULT 30;

-- AlterTable
ALTER TABLE "Feedback" ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Events already over when follow-ups arrived: their follow-up is not sent now, months later
UPDATE "Event" SET "followUpsRecordedAt" = CURRENT_TIMESTAMP WHERE "endsAt" < CURRENT_TIMESTAMP;
