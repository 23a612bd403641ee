-- migrate:up transaction:false
create table tags (
  id integer primary key,
  name varchar(50) not null
);

-- migrate:down
drop table tags;
