-- CreateTable
CREATE TABLE "SendTurn" (
    "key" TEXT NOT NULL,
    "freeAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SendTurn_pkey" PRIMARY KEY ("key")
);

