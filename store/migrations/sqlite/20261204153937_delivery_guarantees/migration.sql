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
    "lastActivityAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Case_queueId_fkey" FOREIGN KEY ("queueId") REFERENCES "Queue" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Case_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "Agent" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Case_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Case_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Case" ("accountId", "ackSentAt", "assigneeId", "category", "channel", "closedAt", "contactId", "createdAt", "declinedBy", "frustrated", "id", "lastInboundAt", "linkedCaseId", "offeredAt", "offeredToId", "previousAgentId", "priority", "queueId", "requiredSkills", "resolvedAt", "routing", "sentiment", "slackChannel", "slackTs", "state", "subject", "tags", "updatedAt") SELECT "accountId", "ackSentAt", "assigneeId", "category", "channel", "closedAt", "contactId", "createdAt", "declinedBy", "frustrated", "id", "lastInboundAt", "linkedCaseId", "offeredAt", "offeredToId", "previousAgentId", "priority", "queueId", "requiredSkills", "resolvedAt", "routing", "sentiment", "slackChannel", "slackTs", "state", "subject", "tags", "updatedAt" FROM "Case";
DROP TABLE "Case";
ALTER TABLE "new_Case" RENAME TO "Case";
CREATE INDEX "Case_state_queueId_idx" ON "Case"("state", "queueId");
CREATE INDEX "Case_contactId_state_idx" ON "Case"("contactId", "state");
CREATE INDEX "Case_assigneeId_state_channel_idx" ON "Case"("assigneeId", "state", "channel");
CREATE INDEX "Case_offeredToId_assigneeId_state_channel_queueId_offeredAt_idx" ON "Case"("offeredToId", "assigneeId", "state", "channel", "queueId", "offeredAt");
CREATE INDEX "Case_slackTs_idx" ON "Case"("slackTs");
CREATE TABLE "new_Interaction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" INTEGER,
    "channel" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "externalId" TEXT,
    "messageId" TEXT,
    "conversationKey" TEXT,
    "fromAddress" TEXT,
    "contactId" TEXT,
    "agentId" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'message',
    "subject" TEXT,
    "text" TEXT NOT NULL DEFAULT '',
    "fullText" TEXT,
    "html" TEXT,
    "attachments" TEXT NOT NULL DEFAULT '[]',
    "meta" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "retryAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME,
    CONSTRAINT "Interaction_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Interaction" ("agentId", "attachments", "caseId", "channel", "contactId", "conversationKey", "createdAt", "direction", "error", "externalId", "fromAddress", "fullText", "html", "id", "kind", "messageId", "meta", "processedAt", "status", "subject", "text") SELECT "agentId", "attachments", "caseId", "channel", "contactId", "conversationKey", "createdAt", "direction", "error", "externalId", "fromAddress", "fullText", "html", "id", "kind", "messageId", "meta", "processedAt", "status", "subject", "text" FROM "Interaction";
DROP TABLE "Interaction";
ALTER TABLE "new_Interaction" RENAME TO "Interaction";
CREATE INDEX "Interaction_status_direction_idx" ON "Interaction"("status", "direction");
CREATE INDEX "Interaction_messageId_idx" ON "Interaction"("messageId");
CREATE INDEX "Interaction_conversationKey_createdAt_idx" ON "Interaction"("conversationKey", "createdAt");
CREATE INDEX "Interaction_caseId_createdAt_idx" ON "Interaction"("caseId", "createdAt");
CREATE UNIQUE INDEX "Interaction_channel_externalId_key" ON "Interaction"("channel", "externalId");
CREATE TABLE "new_OutboxItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "interactionId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" DATETIME,
    "claimToken" TEXT,
    "conversation" TEXT NOT NULL DEFAULT '',
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OutboxItem_interactionId_fkey" FOREIGN KEY ("interactionId") REFERENCES "Interaction" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_OutboxItem" ("attempts", "channel", "createdAt", "id", "interactionId", "lastError", "lockedUntil", "nextAttemptAt", "status", "updatedAt") SELECT "attempts", "channel", "createdAt", "id", "interactionId", "lastError", "lockedUntil", "nextAttemptAt", "status", "updatedAt" FROM "OutboxItem";
DROP TABLE "OutboxItem";
ALTER TABLE "new_OutboxItem" RENAME TO "OutboxItem";
CREATE UNIQUE INDEX "OutboxItem_interactionId_key" ON "OutboxItem"("interactionId");
CREATE INDEX "OutboxItem_status_nextAttemptAt_idx" ON "OutboxItem"("status", "nextAttemptAt");
CREATE INDEX "OutboxItem_status_lockedUntil_idx" ON "OutboxItem"("status", "lockedUntil");
CREATE INDEX "OutboxItem_conversation_status_createdAt_idx" ON "OutboxItem"("conversation", "status", "createdAt");
-- Backfill: continuity runs from the last message of the customer or an agent
UPDATE "Case" SET "lastActivityAt" = coalesce(
  (SELECT max(i."createdAt") FROM "Interaction" i
   WHERE i."caseId" = "Case"."id" AND i."kind" = 'message' AND (i."direction" = 'inbound' OR i."agentId" IS NOT NULL)),
  "lastInboundAt");
-- Backfill: the conversation of each outbox entry (case, channel, recipient)
UPDATE "OutboxItem" SET "conversation" = (
  SELECT coalesce(i."caseId", '') || ':' || i."channel" || ':' || coalesce(json_extract(i."meta", '$.to'), '')
  FROM "Interaction" i WHERE i."id" = "OutboxItem"."interactionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

