-- Full-text search over cases (case.repository.ts searchCondition uses these very expressions): the words of
-- every message and note, of each case's subject, and of each contact's name, email (split at @ and dots) and phone.
-- 'simple': no language's stemming, since customers write in many; accents removed, as SQLite's FTS5 does.
-- unaccent is a trusted extension: the database's owner may create it. Named with its schema everywhere:
-- index builds (PostgreSQL 17 on) and pg_restore run with a search_path that does not hold it.
CREATE EXTENSION IF NOT EXISTS "unaccent" SCHEMA public;

-- unaccent() is only STABLE (its dictionary could change); an index needs an IMMUTABLE expression. Addresses,
-- paths and numbers are split at their punctuation first, as SQLite's tokenizer and the search's words are
-- (PostgreSQL's parser would keep `bob@shop.test` or `shop.test/orders/987` whole).
CREATE FUNCTION public."sb_search_words"("doc" text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT pg_catalog.to_tsvector('pg_catalog.simple'::regconfig,
    pg_catalog.translate(public.unaccent('public.unaccent'::regdictionary, "doc"), '@./:_+-#=?&%~\|,;''"()[]{}<>!*', '                               ')) $$;

CREATE INDEX "Interaction_text_search_idx" ON "Interaction" USING gin ("sb_search_words"("text")) WHERE "direction" IN ('inbound', 'outbound', 'note');
CREATE INDEX "Case_subject_search_idx" ON "Case" USING gin ("sb_search_words"("subject"));
CREATE INDEX "Contact_search_idx" ON "Contact" USING gin ("sb_search_words"(coalesce("name", '') || ' ' || translate(coalesce("email", ''), '@.+_-', '     ') || ' ' || coalesce("phone", '')));
