-- CreateTable
CREATE TABLE "RuleAudit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL,
    "actor" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "before" TEXT,
    "after" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Case" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "state" TEXT NOT NULL DEFAULT 'new',
    "priority" INTEGER NOT NULL DEFAULT 3,
    "channel" TEXT NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "queueId" TEXT,
    "assigneeId" TEXT,
    "previousAgentId" TEXT,
    "category" TEXT,
    "sentiment" REAL NOT NULL DEFAULT 0,
    "frustrated" BOOLEAN NOT NULL DEFAULT false,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "requiredSkills" TEXT NOT NULL DEFAULT '[]',
    "contactId" TEXT NOT NULL,
    "accountId" TEXT,
    "linkedCaseId" INTEGER,
    "routing" TEXT,
    "offeredToId" TEXT,
    "offeredAt" DATETIME,
    "declinedBy" TEXT NOT NULL DEFAULT '[]',
    "slackChannel" TEXT,
    "slackTs" TEXT,
    "ackSentAt" DATETIME,
    "lastInboundAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Case_queueId_fkey" FOREIGN KEY ("queueId") REFERENCES "Queue" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Case_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "Agent" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Case_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Case_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Case" ("accountId", "ackSentAt", "assigneeId", "category", "channel", "closedAt", "contactId", "createdAt", "frustrated", "id", "lastInboundAt", "linkedCaseId", "offeredAt", "offeredToId", "previousAgentId", "priority", "queueId", "requiredSkills", "resolvedAt", "routing", "sentiment", "slackChannel", "slackTs", "state", "subject", "tags", "updatedAt") SELECT "accountId", "ackSentAt", "assigneeId", "category", "channel", "closedAt", "contactId", "createdAt", "frustrated", "id", "lastInboundAt", "linkedCaseId", "offeredAt", "offeredToId", "previousAgentId", "priority", "queueId", "requiredSkills", "resolvedAt", "routing", "sentiment", "slackChannel", "slackTs", "state", "subject", "tags", "updatedAt" FROM "Case";
DROP TABLE "Case";
ALTER TABLE "new_Case" RENAME TO "Case";
CREATE INDEX "Case_state_queueId_idx" ON "Case"("state", "queueId");
CREATE INDEX "Case_contactId_state_idx" ON "Case"("contactId", "state");
CREATE INDEX "Case_assigneeId_state_idx" ON "Case"("assigneeId", "state");
CREATE INDEX "Case_offeredToId_idx" ON "Case"("offeredToId");
CREATE INDEX "Case_updatedAt_idx" ON "Case"("updatedAt");
CREATE TABLE "new_Queue" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "strategy" TEXT NOT NULL DEFAULT 'round_robin',
    "slackChannel" TEXT,
    "ackTemplate" TEXT,
    "offerTimeoutSeconds" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Queue" ("ackTemplate", "createdAt", "id", "name", "offerTimeoutSeconds", "slackChannel", "strategy") SELECT "ackTemplate", "createdAt", "id", "name", "offerTimeoutSeconds", "slackChannel", "strategy" FROM "Queue";
DROP TABLE "Queue";
ALTER TABLE "new_Queue" RENAME TO "Queue";
CREATE UNIQUE INDEX "Queue_name_key" ON "Queue"("name");
CREATE TABLE "new_RuleSetVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "rules" TEXT NOT NULL,
    "lexicon" TEXT,
    "templates" TEXT NOT NULL DEFAULT '{}',
    "businessHours" TEXT,
    "author" TEXT NOT NULL,
    "change" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_RuleSetVersion" ("author", "change", "createdAt", "id", "lexicon", "rules") SELECT "author", "change", "createdAt", "id", "lexicon", "rules" FROM "RuleSetVersion";
DROP TABLE "RuleSetVersion";
ALTER TABLE "new_RuleSetVersion" RENAME TO "RuleSetVersion";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "RuleAudit_createdAt_idx" ON "RuleAudit"("createdAt");

