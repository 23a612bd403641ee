-- migrate:up
create table comments (
  id integer primary key,
  post_id integer not null,
  body text
);
insert into posts (id, title) values (1, 'Hello; world');

-- migrate:down
drop table comments;
