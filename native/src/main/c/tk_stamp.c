/* tk_stamp.c: the wire format of the ticket stamp: a version byte, then three big-endian 64-bit fields. */

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
}

int tk_stamp_decode(const unsigned char *data, size_t len, tk_ticket_stamp *out_stamp)
{
    TK_ENSURE(data != NULL && len == TK_STAMP_WIRE_LEN && data[0] == TK_STAMP_WIRE_VERSION, 0);
    out_stamp->issued_at_ms = (int64_t)tk_get_u64(data + 1);
    out_stamp->key_generation = (int64_t)tk_get_u64(data + 9);
    out_stamp->tag = (int64_t)tk_get_u64(data + 17);
    return 1;
}
