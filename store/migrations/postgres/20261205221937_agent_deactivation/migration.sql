-- AlterTable
ALTER TABLE "Agent" ADD COLUMN     "deactivatedAt" TIMESTAMPTZ(3);

