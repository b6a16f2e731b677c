-- AlterTable
ALTER TABLE "Case" ADD COLUMN "offerExpiresAt" DATETIME;

