#ifndef TASKWARDEN_CSQLITE_SHIM_H
#define TASKWARDEN_CSQLITE_SHIM_H

#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

/* SQLITE_TRANSIENT is a cast macro, which Swift does not import: SQLite copies the bytes. */
static inline int tw_sqlite3_bind_text_copy(sqlite3_stmt *statement, int index, const char *text, int length) {
    return sqlite3_bind_text(statement, index, text, length, SQLITE_TRANSIENT);
}

static inline int tw_sqlite3_bind_blob_copy(sqlite3_stmt *statement, int index, const void *bytes, int length) {
    return sqlite3_bind_blob(statement, index, bytes, length, SQLITE_TRANSIENT);
}

/* A busy handler that tries for the lock every millisecond until `timeout` milliseconds (the
   context, as an integer) have passed. SQLite's own, set by sqlite3_busy_timeout, sleeps 1, 2,
   5, 10, 15, 20, 25, 25, 25, 50, 50 then 100 ms between tries: a writer that meets a held lock
   may sleep on for up to 100 ms after it is released, and when the holder takes it again
   within a few milliseconds (a purge between two batches), it waits through several
   batches. Measured with a purge of 2 M rows running: a worker's p99 UPDATE latency of 83 to
   110 ms with SQLite's handler. The start of a wait is kept per thread: a connection is used
   by one thread at a time, and waits do not nest. */
static inline int tw_sqlite3_busy_poll(void *timeout, int attempts) {
    static _Thread_local struct timespec started;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (attempts == 0) started = now;
    long long waited = (long long)(now.tv_sec - started.tv_sec) * 1000 + (now.tv_nsec - started.tv_nsec) / 1000000;
    if (waited >= (intptr_t)timeout) return 0;
    sqlite3_sleep(1);
    return 1;
}

/* Waits up to `milliseconds` for another connection's lock, trying every millisecond
   (tw_sqlite3_busy_poll). 0 fails at once with SQLITE_BUSY, as sqlite3_busy_timeout(0). */
static inline int tw_sqlite3_busy_wait(sqlite3 *db, int milliseconds) {
    if (milliseconds <= 0) return sqlite3_busy_handler(db, 0, 0);
    return sqlite3_busy_handler(db, tw_sqlite3_busy_poll, (void *)(intptr_t)milliseconds);
}

/* unhex(X), which SQLite has from 3.41.0 on: the blob the hexadecimal text X spells, NULL for
   NULL or for text that is not an even number of hex digits. undo restores a binary set_on
   column from the hex its journal keeps (sql/undo/restore.sqlite.sql). */
static inline int tw_hex_digit(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static inline void tw_sqlite3_unhex(sqlite3_context *context, int count, sqlite3_value **values) {
    (void)count;
    if (sqlite3_value_type(values[0]) == SQLITE_NULL) { sqlite3_result_null(context); return; }
    const unsigned char *text = sqlite3_value_text(values[0]);
    int length = sqlite3_value_bytes(values[0]);
    if (text == NULL || length % 2 != 0) { sqlite3_result_null(context); return; }
    unsigned char *bytes = sqlite3_malloc(length / 2 + 1);
    if (bytes == NULL) { sqlite3_result_error_nomem(context); return; }
    for (int i = 0; i < length / 2; i++) {
        int high = tw_hex_digit(text[2 * i]), low = tw_hex_digit(text[2 * i + 1]);
        if (high < 0 || low < 0) { sqlite3_free(bytes); sqlite3_result_null(context); return; }
        bytes[i] = (unsigned char)(high * 16 + low);
    }
    sqlite3_result_blob(context, bytes, length / 2, sqlite3_free);
}

/* Gives a connection unhex() where the library is older than 3.41.0 (Debian 12 has 3.40). */
static inline int tw_sqlite3_register_unhex(sqlite3 *db) {
    if (sqlite3_libversion_number() >= 3041000) return SQLITE_OK;
    return sqlite3_create_function_v2(db, "unhex", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0, tw_sqlite3_unhex, 0, 0, 0);
}

#endif
