-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "offerExpiresAt" TIMESTAMPTZ(3);

