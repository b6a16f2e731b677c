-- Provider references leave the core tables for ChannelLink, owned by the channels that use them.
-- Ordered by hand from `migrate diff`'s output: the data is copied before the columns go.

-- CreateTable
CREATE TABLE "ChannelLink" (
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "uniqueKey" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ChannelLink_pkey" PRIMARY KEY ("channel","kind","targetId")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChannelLink_uniqueKey_key" ON "ChannelLink"("uniqueKey");

-- CreateIndex
CREATE INDEX "ChannelLink_channel_kind_externalId_idx" ON "ChannelLink"("channel", "kind", "externalId");

-- CopyData
INSERT INTO "ChannelLink" ("channel", "kind", "targetId", "externalId", "uniqueKey", "createdAt")
  SELECT 'slack', 'agent', "id", "slackUserId", 'slack:agent:' || "slackUserId", "createdAt" FROM "Agent" WHERE "slackUserId" IS NOT NULL;
INSERT INTO "ChannelLink" ("channel", "kind", "targetId", "externalId", "uniqueKey", "createdAt")
  SELECT 'slack', 'queue', "id", "slackChannel", NULL, "createdAt" FROM "Queue" WHERE "slackChannel" IS NOT NULL;
INSERT INTO "ChannelLink" ("channel", "kind", "targetId", "externalId", "uniqueKey", "createdAt")
  SELECT 'slack', 'case', CAST("id" AS TEXT), "slackChannel" || ':' || "slackTs", 'slack:case:' || "slackChannel" || ':' || "slackTs", "updatedAt"
  FROM "Case" WHERE "slackChannel" IS NOT NULL AND "slackTs" IS NOT NULL;

-- DropIndex
DROP INDEX "Case_slackTs_idx";

-- DropIndex
DROP INDEX "Agent_slackUserId_key";

-- AlterTable
ALTER TABLE "Case" DROP COLUMN "slackChannel",
DROP COLUMN "slackTs";

-- AlterTable
ALTER TABLE "Queue" DROP COLUMN "slackChannel";

-- AlterTable
ALTER TABLE "Agent" DROP COLUMN "slackUserId";
