-- CreateTable
CREATE TABLE "RuleHit" (
    "ruleId" TEXT NOT NULL,
    "hour" DATETIME NOT NULL,
    "count" INTEGER NOT NULL,
    "lastAt" DATETIME NOT NULL,

    PRIMARY KEY ("ruleId", "hour")
);

-- CreateIndex
CREATE INDEX "RuleHit_hour_idx" ON "RuleHit"("hour");

