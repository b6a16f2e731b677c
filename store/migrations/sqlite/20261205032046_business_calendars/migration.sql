-- AlterTable
ALTER TABLE "Account" ADD COLUMN "calendarId" TEXT;

-- AlterTable
ALTER TABLE "Queue" ADD COLUMN "calendarId" TEXT;

-- CreateTable
CREATE TABLE "BusinessCalendar" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "windows" TEXT NOT NULL,
    "holidays" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "BusinessCalendar_name_key" ON "BusinessCalendar"("name");

