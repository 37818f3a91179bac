-- AlterTable
ALTER TABLE "EventAnnouncement" ADD COLUMN     "requestKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "EventAnnouncement_requestKey_key" ON "EventAnnouncement"("requestKey");
