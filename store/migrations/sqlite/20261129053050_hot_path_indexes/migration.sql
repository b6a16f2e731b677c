-- DropIndex
DROP INDEX "Case_updatedAt_idx";

-- DropIndex
DROP INDEX "Case_offeredToId_idx";

-- DropIndex
DROP INDEX "Case_assigneeId_state_idx";

-- DropIndex
DROP INDEX "Interaction_conversationKey_idx";

-- CreateIndex
CREATE INDEX "Case_assigneeId_state_channel_idx" ON "Case"("assigneeId", "state", "channel");

-- CreateIndex
CREATE INDEX "Case_offeredToId_assigneeId_state_channel_queueId_offeredAt_idx" ON "Case"("offeredToId", "assigneeId", "state", "channel", "queueId", "offeredAt");

-- CreateIndex
CREATE INDEX "Case_slackTs_idx" ON "Case"("slackTs");

-- CreateIndex
CREATE INDEX "Interaction_conversationKey_createdAt_idx" ON "Interaction"("conversationKey", "createdAt");

