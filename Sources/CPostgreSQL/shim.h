#ifndef TASKWARDEN_CPOSTGRESQL_SHIM_H
#define TASKWARDEN_CPOSTGRESQL_SHIM_H

#include <libpq-fe.h>

/* PG_DIAG_* are character macros, which Swift does not import. */
static inline const char *tw_pq_result_sqlstate(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_SQLSTATE);
}

static inline const char *tw_pq_result_primary_message(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
}

/* Swallows NOTICE and WARNING messages, which libpq otherwise prints on stderr. */
static void tw_pq_ignore_notice(void *arg, const char *message) {
    (void)arg;
    (void)message;
}

static inline void tw_pq_silence_notices(PGconn *connection) {
    PQsetNoticeProcessor(connection, tw_pq_ignore_notice, 0);
}

#endif
