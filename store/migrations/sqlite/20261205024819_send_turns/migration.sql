-- CreateTable
CREATE TABLE "SendTurn" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "freeAt" DATETIME NOT NULL
);

