/* fuzz_stamp.c: the ticket stamp decoder (tk_stamp.c) on any bytes. A ticket's application data comes from the
 * client, sealed under a key that may have been shared with another server, so the decoder must take anything:
 * it accepts exactly the wire forms of versions 1 and 2, and what it accepts encodes back (as version 2) to the
 * same fields: the same bytes for a version 2 stamp, the same first fields and host id 0 for a version 1 stamp. */

#include <stdlib.h>
#include <string.h>

#include "tk_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tk_ticket_stamp stamp;
    memset(&stamp, 0x5a, sizeof(stamp));
    tk_ticket_stamp untouched = stamp;
    if (!tk_stamp_decode(data, size, &stamp)) {
        if (memcmp(&stamp, &untouched, sizeof(stamp)) != 0) {
            abort();
        }
        return 0;
    }
    unsigned char again[TK_STAMP_WIRE_LEN];
    tk_stamp_encode(&stamp, again);
    if (size == TK_STAMP_WIRE_LEN && memcmp(again, data, size) == 0) {
        return 0;
    }
    if (size == TK_STAMP_WIRE_V1_LEN && data[0] == 1 && stamp.host_id == 0
        && memcmp(again + 1, data + 1, TK_STAMP_WIRE_V1_LEN - 1) == 0) {
        return 0;
    }
    abort();
}
