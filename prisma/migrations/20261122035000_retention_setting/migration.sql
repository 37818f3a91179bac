-- Retention stays off until an admin enables it (who and when are kept on the organisation row).
ALTER TABLE "Organization" ADD COLUMN "retentionEnabledAt" TIMESTAMP(3),
ADD COLUMN "retentionEnabledById" INTEGER;
