-- AlterTable
ALTER TABLE "OutboxItem" ADD COLUMN     "unsettledSince" TIMESTAMPTZ(3);

