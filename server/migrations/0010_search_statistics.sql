-- A text search's plan rests on the planner's estimate of how many leads match the pattern, which
-- it counts among the entries of search_text's histogram. With the default hundred entries, a
-- common word ("coffee", about one lead in eighteen) matched between one and twelve entries over
-- thirty ANALYZE runs of the bench database, and none in one bench run: the estimate then fell to
-- its floor of a few hundred rows, and the planner fetched every match through the trigram index
-- and sorted them (0.7 s) instead of walking the sort order until a page was full (2 ms). Three
-- hundred entries keep such estimates near the truth, at about 0.1 ms more planning for a search
-- (a thousand would cost 0.5 ms).
ALTER TABLE "leads" ALTER COLUMN "search_text" SET STATISTICS 300;
