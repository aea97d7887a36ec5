/* test_stamp.c: the wire format of the ticket stamp (tk_stamp.c). */

#include <string.h>

#include "tk_internal.h"
#include "tk_test.h"

static void check_round_trip(int64_t issued_at_ms, int64_t key_generation, int64_t tag)
{
    tk_ticket_stamp stamp = {issued_at_ms, key_generation, tag};
    unsigned char wire[TK_STAMP_WIRE_LEN];
    tk_stamp_encode(&stamp, wire);
    tk_ticket_stamp decoded;
    memset(&decoded, 0x5a, sizeof(decoded));
    CHECK_EQ(tk_stamp_decode(wire, sizeof(wire), &decoded), 1);
    CHECK_EQ(decoded.issued_at_ms, issued_at_ms);
    CHECK_EQ(decoded.key_generation, key_generation);
    CHECK_EQ(decoded.tag, tag);
}

static void test_round_trip(void)
{
    check_round_trip(0, 0, 0);
    check_round_trip(1700000000123, 42, 7);
    check_round_trip(-1, -2, -3);
    check_round_trip(-1700000000123, INT64_MIN, INT64_MAX);
    check_round_trip(INT64_MAX, INT64_MIN + 1, -1);
}

/* The stamp travels to other nodes inside tickets: the layout is fixed, whatever the host's byte order. */
static void test_layout(void)
{
    tk_ticket_stamp stamp = {INT64_C(0x0102030405060708), -2, INT64_C(0x7f000000000000ff)};
    unsigned char wire[TK_STAMP_WIRE_LEN];
    tk_stamp_encode(&stamp, wire);
    static const unsigned char expected[TK_STAMP_WIRE_LEN] = {
        0x01,                                           /* version */
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* issued_at_ms, big-endian */
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, /* key_generation, two's complement */
        0x7f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, /* tag */
    };
    CHECK(memcmp(wire, expected, sizeof(expected)) == 0);
}

static void check_rejected(const unsigned char *data, size_t len)
{
    tk_ticket_stamp decoded;
    memset(&decoded, 0x5a, sizeof(decoded));
    tk_ticket_stamp untouched;
    memset(&untouched, 0x5a, sizeof(untouched));
    CHECK_EQ(tk_stamp_decode(data, len, &decoded), 0);
    CHECK(memcmp(&decoded, &untouched, sizeof(decoded)) == 0);
}

static void test_rejects_wrong_length(void)
{
    unsigned char wire[TK_STAMP_WIRE_LEN + 1];
    tk_ticket_stamp stamp = {1, 2, 3};
    tk_stamp_encode(&stamp, wire);
    wire[TK_STAMP_WIRE_LEN] = 0;
    check_rejected(wire, 0);
    check_rejected(wire, 1);
    check_rejected(wire, TK_STAMP_WIRE_LEN - 1);
    check_rejected(wire, TK_STAMP_WIRE_LEN + 1);
    check_rejected(wire, SIZE_MAX);
}

static void test_rejects_wrong_version(void)
{
    unsigned char wire[TK_STAMP_WIRE_LEN];
    tk_ticket_stamp stamp = {1, 2, 3};
    static const unsigned char versions[] = {0x00, 0x02, 0x7f, 0x80, 0xff};
    for (size_t i = 0; i < sizeof(versions); i++) {
        tk_stamp_encode(&stamp, wire);
        wire[0] = versions[i];
        check_rejected(wire, sizeof(wire));
    }
}

static void test_rejects_null(void)
{
    check_rejected(NULL, TK_STAMP_WIRE_LEN);
    check_rejected(NULL, 0);
}

int main(void)
{
    TK_RUN(test_round_trip);
    TK_RUN(test_layout);
    TK_RUN(test_rejects_wrong_length);
    TK_RUN(test_rejects_wrong_version);
    TK_RUN(test_rejects_null);
    return 0;
}
