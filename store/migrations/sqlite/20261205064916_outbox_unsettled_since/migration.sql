-- AlterTable
ALTER TABLE "OutboxItem" ADD COLUMN "unsettledSince" DATETIME;

