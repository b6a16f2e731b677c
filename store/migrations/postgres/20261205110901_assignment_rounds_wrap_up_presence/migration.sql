-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "offerRetryAt" TIMESTAMPTZ(3),
ADD COLUMN     "offerRounds" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Queue" ADD COLUMN     "maxOfferRounds" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "wrapUpSeconds" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Agent" ADD COLUMN     "missedOffers" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "presenceReason" TEXT,
ADD COLUMN     "presenceUntil" TIMESTAMPTZ(3),
ADD COLUMN     "wrapUpUntil" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Case_offerRetryAt_idx" ON "Case"("offerRetryAt");

