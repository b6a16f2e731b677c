-- AlterTable
ALTER TABLE "Case" ADD COLUMN "sla" TEXT;
ALTER TABLE "Case" ADD COLUMN "slaDueAt" DATETIME;

-- CreateTable
CREATE TABLE "CaseStateChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SlaPolicyVersion" (
    "version" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "policies" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "change" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Timer" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "CaseStateChange_caseId_at_idx" ON "CaseStateChange"("caseId", "at");

-- CreateIndex
CREATE INDEX "Timer_dueAt_idx" ON "Timer"("dueAt");

-- CreateIndex
CREATE INDEX "Case_slaDueAt_idx" ON "Case"("slaDueAt");

