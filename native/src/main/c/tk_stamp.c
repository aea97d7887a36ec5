/* tk_stamp.c: the wire format of the ticket stamp: a version byte, then big-endian 64-bit fields: issued at, key
 * generation and tag (version 1), and the host id (version 2). */

#include <string.h>

#include "tk_internal.h"

static void tk_put_u64(unsigned char *out, uint64_t value)
{
    for (int i = 7; i >= 0; i--) {
        out[i] = (unsigned char)(value & 0xff);
        value >>= 8;
    }
}

static uint64_t tk_get_u64(const unsigned char *in)
{
    uint64_t value = 0;
    for (int i = 0; i < 8; i++) {
        value = (value << 8) | in[i];
    }
    return value;
}

void tk_stamp_encode(const tk_ticket_stamp *stamp, unsigned char out[TK_STAMP_WIRE_LEN])
{
    out[0] = TK_STAMP_WIRE_VERSION;
    tk_put_u64(out + 1, (uint64_t)stamp->issued_at_ms);
    tk_put_u64(out + 9, (uint64_t)stamp->key_generation);
    tk_put_u64(out + 17, (uint64_t)stamp->tag);
    tk_put_u64(out + 25, (uint64_t)stamp->host_id);
}

/* The length a stamp of |version| has on the wire, or 0 for a version this shim does not read. */
static size_t tk_stamp_wire_len(unsigned char version)
{
    switch (version) {
    case 1:
        return TK_STAMP_WIRE_V1_LEN;
    case TK_STAMP_WIRE_VERSION:
        return TK_STAMP_WIRE_LEN;
    default:
        return 0;
    }
}

int tk_stamp_decode(const unsigned char *data, size_t len, tk_ticket_stamp *out_stamp)
{
    TK_ENSURE(data != NULL && len > 0 && len == tk_stamp_wire_len(data[0]), 0);
    out_stamp->issued_at_ms = (int64_t)tk_get_u64(data + 1);
    out_stamp->key_generation = (int64_t)tk_get_u64(data + 9);
    out_stamp->tag = (int64_t)tk_get_u64(data + 17);
    out_stamp->host_id = len == TK_STAMP_WIRE_LEN ? (int64_t)tk_get_u64(data + 25) : 0;
    return 1;
}
