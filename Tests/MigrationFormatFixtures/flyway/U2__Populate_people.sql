DELETE FROM people WHERE id IN (1, 2);
