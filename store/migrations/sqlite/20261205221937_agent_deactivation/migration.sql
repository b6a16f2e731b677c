-- AlterTable
ALTER TABLE "Agent" ADD COLUMN "deactivatedAt" DATETIME;

