-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "sla" TEXT,
ADD COLUMN     "slaDueAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "CaseStateChange" (
    "id" SERIAL NOT NULL,
    "caseId" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CaseStateChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlaPolicyVersion" (
    "version" SERIAL NOT NULL,
    "policies" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "change" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SlaPolicyVersion_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "Timer" (
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Timer_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "CaseStateChange_caseId_at_idx" ON "CaseStateChange"("caseId", "at");

-- CreateIndex
CREATE INDEX "Timer_dueAt_idx" ON "Timer"("dueAt");

-- CreateIndex
CREATE INDEX "Case_slaDueAt_idx" ON "Case"("slaDueAt");

