#ifndef TASKWARDEN_CMARIADB_SHIM_H
#define TASKWARDEN_CMARIADB_SHIM_H

#include <mysql.h>

#endif
