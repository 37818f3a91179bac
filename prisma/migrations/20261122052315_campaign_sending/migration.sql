-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "pausedReason" TEXT,
ADD COLUMN     "recoveredCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "snapshot" JSONB;

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "claimedBy" TEXT,
ADD COLUMN     "clickedAt" TIMESTAMP(3),
ADD COLUMN     "listId" INTEGER,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "openedAt" TIMESTAMP(3),
ADD COLUMN     "unsubscribedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Delivery_messageId_idx" ON "Delivery"("messageId");
