-- CreateTable
CREATE TABLE "BroadcastOffer" (
    "caseId" INTEGER NOT NULL,
    "agentId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "offeredAt" DATETIME NOT NULL,

    PRIMARY KEY ("caseId", "agentId"),
    CONSTRAINT "BroadcastOffer_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AgentLoad" (
    "agentId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("agentId", "channel")
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
    "assignment" TEXT,
    "offeredToId" TEXT,
    "offeredAt" DATETIME,
    "declinedBy" TEXT NOT NULL DEFAULT '[]',
    "offerRounds" INTEGER NOT NULL DEFAULT 0,
    "offerRetryAt" DATETIME,
    "waitingSince" DATETIME,
    "assignedAt" DATETIME,
    "firstAnsweredAt" DATETIME,
    "overflowSteps" INTEGER NOT NULL DEFAULT 0,
    "agingSteps" INTEGER NOT NULL DEFAULT 0,
    "widenedTo" TEXT NOT NULL DEFAULT '[]',
    "skillsRelaxed" BOOLEAN NOT NULL DEFAULT false,
    "ackSentAt" DATETIME,
    "lastInboundAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastActivityAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "sla" TEXT,
    "slaDueAt" DATETIME,
    CONSTRAINT "Case_queueId_fkey" FOREIGN KEY ("queueId") REFERENCES "Queue" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Case_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "Agent" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Case_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Case_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Case" ("accountId", "ackSentAt", "assigneeId", "assignment", "category", "channel", "closedAt", "contactId", "createdAt", "declinedBy", "frustrated", "id", "lastActivityAt", "lastInboundAt", "linkedCaseId", "offeredAt", "offeredToId", "previousAgentId", "priority", "queueId", "requiredSkills", "resolvedAt", "routing", "sentiment", "sla", "slaDueAt", "state", "subject", "tags", "updatedAt") SELECT "accountId", "ackSentAt", "assigneeId", "assignment", "category", "channel", "closedAt", "contactId", "createdAt", "declinedBy", "frustrated", "id", "lastActivityAt", "lastInboundAt", "linkedCaseId", "offeredAt", "offeredToId", "previousAgentId", "priority", "queueId", "requiredSkills", "resolvedAt", "routing", "sentiment", "sla", "slaDueAt", "state", "subject", "tags", "updatedAt" FROM "Case";
DROP TABLE "Case";
ALTER TABLE "new_Case" RENAME TO "Case";
CREATE INDEX "Case_slaDueAt_idx" ON "Case"("slaDueAt");
CREATE INDEX "Case_offerRetryAt_idx" ON "Case"("offerRetryAt");
CREATE INDEX "Case_queueId_createdAt_idx" ON "Case"("queueId", "createdAt");
CREATE INDEX "Case_resolvedAt_idx" ON "Case"("resolvedAt");
CREATE INDEX "Case_assigneeId_offeredToId_priority_createdAt_id_idx" ON "Case"("assigneeId", "offeredToId", "priority", "createdAt", "id");
CREATE INDEX "Case_queueId_offeredAt_idx" ON "Case"("queueId", "offeredAt");
CREATE INDEX "Case_state_queueId_idx" ON "Case"("state", "queueId");
CREATE INDEX "Case_contactId_state_idx" ON "Case"("contactId", "state");
CREATE INDEX "Case_accountId_state_idx" ON "Case"("accountId", "state");
CREATE INDEX "Case_assigneeId_state_channel_idx" ON "Case"("assigneeId", "state", "channel");
CREATE INDEX "Case_offeredToId_assigneeId_state_channel_queueId_offeredAt_idx" ON "Case"("offeredToId", "assigneeId", "state", "channel", "queueId", "offeredAt");
CREATE TABLE "new_Queue" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "strategy" TEXT NOT NULL DEFAULT 'round_robin',
    "ackTemplate" TEXT,
    "offerTimeoutSeconds" INTEGER,
    "calendarId" TEXT,
    "wrapUpSeconds" INTEGER NOT NULL DEFAULT 0,
    "maxOfferRounds" INTEGER NOT NULL DEFAULT 3,
    "broadcastOffers" INTEGER NOT NULL DEFAULT 1,
    "serviceLevelSeconds" INTEGER NOT NULL DEFAULT 300,
    "overflow" TEXT NOT NULL DEFAULT '[]',
    "agingSeconds" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Queue" ("ackTemplate", "calendarId", "createdAt", "id", "name", "offerTimeoutSeconds", "strategy") SELECT "ackTemplate", "calendarId", "createdAt", "id", "name", "offerTimeoutSeconds", "strategy" FROM "Queue";
DROP TABLE "Queue";
ALTER TABLE "new_Queue" RENAME TO "Queue";
CREATE UNIQUE INDEX "Queue_name_key" ON "Queue"("name");
CREATE TABLE "new_Agent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "role" TEXT NOT NULL DEFAULT 'agent',
    "skills" TEXT NOT NULL DEFAULT '[]',
    "skillLevels" TEXT NOT NULL DEFAULT '{}',
    "queues" TEXT NOT NULL DEFAULT '[]',
    "capacity" TEXT NOT NULL DEFAULT '5',
    "presence" TEXT NOT NULL DEFAULT 'offline',
    "presenceReason" TEXT,
    "presenceUntil" DATETIME,
    "missedOffers" INTEGER NOT NULL DEFAULT 0,
    "wrapUpUntil" DATETIME,
    "lastAssignedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Agent" ("capacity", "createdAt", "email", "id", "lastAssignedAt", "name", "presence", "queues", "role", "skills") SELECT "capacity", "createdAt", "email", "id", "lastAssignedAt", "name", "presence", "queues", "role", "skills" FROM "Agent";
DROP TABLE "Agent";
ALTER TABLE "new_Agent" RENAME TO "Agent";
CREATE UNIQUE INDEX "Agent_email_key" ON "Agent"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "BroadcastOffer_agentId_idx" ON "BroadcastOffer"("agentId");

-- waiting cases wait since they opened (the best known moment)
UPDATE "Case" SET "waitingSince" = "createdAt" WHERE "assigneeId" IS NULL AND "state" IN ('new', 'open');

-- Agents' load, counted once here and kept from now on by the triggers below: an open case assigned to
-- the agent (new, open, awaiting_customer) or an offer they hold on an unassigned case counts one.
INSERT INTO "AgentLoad" ("agentId", "channel", "n")
SELECT "agentId", "channel", CAST(SUM("n") AS INTEGER) FROM (
  SELECT "assigneeId" AS "agentId", "channel", COUNT(*) AS "n" FROM "Case"
    WHERE "assigneeId" IS NOT NULL AND "state" IN ('new', 'open', 'awaiting_customer') GROUP BY "assigneeId", "channel"
  UNION ALL
  SELECT "offeredToId" AS "agentId", "channel", COUNT(*) AS "n" FROM "Case"
    WHERE "offeredToId" IS NOT NULL AND "assigneeId" IS NULL GROUP BY "offeredToId", "channel"
) AS "held" GROUP BY "agentId", "channel";

CREATE TRIGGER "Case_agentLoad_insert" AFTER INSERT ON "Case"
  WHEN NEW."assigneeId" IS NOT NULL OR NEW."offeredToId" IS NOT NULL BEGIN
  INSERT INTO "AgentLoad" ("agentId", "channel", "n") SELECT NEW."assigneeId", NEW."channel", 1 WHERE NEW."assigneeId" IS NOT NULL AND NEW."state" IN ('new', 'open', 'awaiting_customer')
    ON CONFLICT ("agentId", "channel") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "AgentLoad" ("agentId", "channel", "n") SELECT NEW."offeredToId", NEW."channel", 1 WHERE NEW."offeredToId" IS NOT NULL AND NEW."assigneeId" IS NULL
    ON CONFLICT ("agentId", "channel") DO UPDATE SET "n" = "n" + 1;
END;

CREATE TRIGGER "Case_agentLoad_update" AFTER UPDATE OF "assigneeId", "offeredToId", "state", "channel" ON "Case"
  WHEN (OLD."assigneeId" IS NOT NULL OR OLD."offeredToId" IS NOT NULL OR NEW."assigneeId" IS NOT NULL OR NEW."offeredToId" IS NOT NULL)
    AND (OLD."assigneeId" IS NOT NEW."assigneeId" OR OLD."offeredToId" IS NOT NEW."offeredToId" OR OLD."state" IS NOT NEW."state" OR OLD."channel" IS NOT NEW."channel") BEGIN
  UPDATE "AgentLoad" SET "n" = "n" - 1 WHERE OLD."assigneeId" IS NOT NULL AND OLD."state" IN ('new', 'open', 'awaiting_customer') AND "agentId" = OLD."assigneeId" AND "channel" = OLD."channel";
  UPDATE "AgentLoad" SET "n" = "n" - 1 WHERE OLD."offeredToId" IS NOT NULL AND OLD."assigneeId" IS NULL AND "agentId" = OLD."offeredToId" AND "channel" = OLD."channel";
  INSERT INTO "AgentLoad" ("agentId", "channel", "n") SELECT NEW."assigneeId", NEW."channel", 1 WHERE NEW."assigneeId" IS NOT NULL AND NEW."state" IN ('new', 'open', 'awaiting_customer')
    ON CONFLICT ("agentId", "channel") DO UPDATE SET "n" = "n" + 1;
  INSERT INTO "AgentLoad" ("agentId", "channel", "n") SELECT NEW."offeredToId", NEW."channel", 1 WHERE NEW."offeredToId" IS NOT NULL AND NEW."assigneeId" IS NULL
    ON CONFLICT ("agentId", "channel") DO UPDATE SET "n" = "n" + 1;
END;

CREATE TRIGGER "Case_agentLoad_delete" AFTER DELETE ON "Case"
  WHEN OLD."assigneeId" IS NOT NULL OR OLD."offeredToId" IS NOT NULL BEGIN
  UPDATE "AgentLoad" SET "n" = "n" - 1 WHERE OLD."assigneeId" IS NOT NULL AND OLD."state" IN ('new', 'open', 'awaiting_customer') AND "agentId" = OLD."assigneeId" AND "channel" = OLD."channel";
  UPDATE "AgentLoad" SET "n" = "n" - 1 WHERE OLD."offeredToId" IS NOT NULL AND OLD."assigneeId" IS NULL AND "agentId" = OLD."offeredToId" AND "channel" = OLD."channel";
END;

-- a broadcast offer reserves the agent's room like any offer
CREATE TRIGGER "BroadcastOffer_agentLoad_insert" AFTER INSERT ON "BroadcastOffer" BEGIN
  INSERT INTO "AgentLoad" ("agentId", "channel", "n") VALUES (NEW."agentId", NEW."channel", 1)
    ON CONFLICT ("agentId", "channel") DO UPDATE SET "n" = "n" + 1;
END;

CREATE TRIGGER "BroadcastOffer_agentLoad_delete" AFTER DELETE ON "BroadcastOffer" BEGIN
  UPDATE "AgentLoad" SET "n" = "n" - 1 WHERE "agentId" = OLD."agentId" AND "channel" = OLD."channel";
END;

-- when a case's offer ends (taken, declined, lapsed, withdrawn, the case moved on), so do the offers made with it
CREATE TRIGGER "Case_offer_ended" AFTER UPDATE OF "offeredToId" ON "Case"
  WHEN NEW."offeredToId" IS NULL AND OLD."offeredToId" IS NOT NULL BEGIN
  DELETE FROM "BroadcastOffer" WHERE "caseId" = NEW."id";
END;
