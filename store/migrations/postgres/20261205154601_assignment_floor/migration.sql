-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "agingSteps" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "assignedAt" TIMESTAMPTZ(3),
ADD COLUMN     "firstAnsweredAt" TIMESTAMPTZ(3),
ADD COLUMN     "offerRetryAt" TIMESTAMPTZ(3),
ADD COLUMN     "offerRounds" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "overflowSteps" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "skillsRelaxed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "waitingSince" TIMESTAMPTZ(3),
ADD COLUMN     "widenedTo" TEXT NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "Queue" ADD COLUMN     "agingSeconds" INTEGER,
ADD COLUMN     "maxOfferRounds" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "overflow" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "serviceLevelSeconds" INTEGER NOT NULL DEFAULT 300,
ADD COLUMN     "wrapUpSeconds" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Agent" ADD COLUMN     "missedOffers" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "presenceReason" TEXT,
ADD COLUMN     "presenceUntil" TIMESTAMPTZ(3),
ADD COLUMN     "skillLevels" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "wrapUpUntil" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Case_offerRetryAt_idx" ON "Case"("offerRetryAt");

-- CreateIndex
CREATE INDEX "Case_queueId_createdAt_idx" ON "Case"("queueId", "createdAt");

-- CreateIndex
CREATE INDEX "Case_resolvedAt_idx" ON "Case"("resolvedAt");

-- CreateIndex
CREATE INDEX "Case_assigneeId_offeredToId_priority_createdAt_id_idx" ON "Case"("assigneeId", "offeredToId", "priority", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Case_queueId_offeredAt_idx" ON "Case"("queueId", "offeredAt");


-- waiting cases wait since they opened (the best known moment)
UPDATE "Case" SET "waitingSince" = "createdAt" WHERE "assigneeId" IS NULL AND "state" IN ('new', 'open');
