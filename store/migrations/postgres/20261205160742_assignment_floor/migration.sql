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
ADD COLUMN     "broadcastOffers" INTEGER NOT NULL DEFAULT 1,
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

-- CreateTable
CREATE TABLE "BroadcastOffer" (
    "caseId" INTEGER NOT NULL,
    "agentId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "offeredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "BroadcastOffer_pkey" PRIMARY KEY ("caseId","agentId")
);

-- CreateTable
CREATE TABLE "AgentLoad" (
    "agentId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AgentLoad_pkey" PRIMARY KEY ("agentId","channel")
);

-- CreateIndex
CREATE INDEX "BroadcastOffer_agentId_idx" ON "BroadcastOffer"("agentId");

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

-- AddForeignKey
ALTER TABLE "BroadcastOffer" ADD CONSTRAINT "BroadcastOffer_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

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

CREATE FUNCTION "case_agent_load"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF OLD."assigneeId" IS NOT NULL AND OLD."state" IN ('new', 'open', 'awaiting_customer') THEN
      UPDATE "AgentLoad" SET "n" = "n" - 1 WHERE "agentId" = OLD."assigneeId" AND "channel" = OLD."channel";
    END IF;
    IF OLD."offeredToId" IS NOT NULL AND OLD."assigneeId" IS NULL THEN
      UPDATE "AgentLoad" SET "n" = "n" - 1 WHERE "agentId" = OLD."offeredToId" AND "channel" = OLD."channel";
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW."assigneeId" IS NOT NULL AND NEW."state" IN ('new', 'open', 'awaiting_customer') THEN
      INSERT INTO "AgentLoad" ("agentId", "channel", "n") VALUES (NEW."assigneeId", NEW."channel", 1)
      ON CONFLICT ("agentId", "channel") DO UPDATE SET "n" = "AgentLoad"."n" + 1;
    END IF;
    IF NEW."offeredToId" IS NOT NULL AND NEW."assigneeId" IS NULL THEN
      INSERT INTO "AgentLoad" ("agentId", "channel", "n") VALUES (NEW."offeredToId", NEW."channel", 1)
      ON CONFLICT ("agentId", "channel") DO UPDATE SET "n" = "AgentLoad"."n" + 1;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Case_agentLoad" AFTER INSERT OR DELETE OR UPDATE OF "assigneeId", "offeredToId", "state", "channel" ON "Case"
  FOR EACH ROW EXECUTE FUNCTION "case_agent_load"();

-- a broadcast offer reserves the agent's room like any offer
CREATE FUNCTION "broadcast_offer_load"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "AgentLoad" ("agentId", "channel", "n") VALUES (NEW."agentId", NEW."channel", 1)
      ON CONFLICT ("agentId", "channel") DO UPDATE SET "n" = "AgentLoad"."n" + 1;
  ELSE
    UPDATE "AgentLoad" SET "n" = "n" - 1 WHERE "agentId" = OLD."agentId" AND "channel" = OLD."channel";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "BroadcastOffer_agentLoad" AFTER INSERT OR DELETE ON "BroadcastOffer"
  FOR EACH ROW EXECUTE FUNCTION "broadcast_offer_load"();

-- when a case's offer ends (taken, declined, lapsed, withdrawn, the case moved on), so do the offers made with it
CREATE FUNCTION "case_offer_ended"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "BroadcastOffer" WHERE "caseId" = NEW."id";
  RETURN NULL;
END $$;

CREATE TRIGGER "Case_offer_ended" AFTER UPDATE OF "offeredToId" ON "Case"
  FOR EACH ROW WHEN (NEW."offeredToId" IS NULL AND OLD."offeredToId" IS NOT NULL) EXECUTE FUNCTION "case_offer_ended"();
