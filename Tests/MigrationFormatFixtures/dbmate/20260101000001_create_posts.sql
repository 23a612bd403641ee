-- migrate:up
create table posts (
  id integer primary key,
  title varchar(255) not null
);

-- migrate:down
drop table posts;
