-- CreateTable
CREATE TABLE "RuleHit" (
    "ruleId" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "lastAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RuleHit_pkey" PRIMARY KEY ("ruleId","hour")
);

-- CreateIndex
CREATE INDEX "RuleHit_hour_idx" ON "RuleHit"("hour");

