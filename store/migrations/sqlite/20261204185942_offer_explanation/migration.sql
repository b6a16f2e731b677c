-- AlterTable
ALTER TABLE "Case" ADD COLUMN "assignment" TEXT;

