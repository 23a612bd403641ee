INSERT INTO people (id, name) VALUES (1, 'Axel');
INSERT INTO people (id, name) VALUES (2, 'Mr. Foo; Bar');
