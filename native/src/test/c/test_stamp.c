/* test_stamp.c: the wire format of the ticket stamp (tk_stamp.c): version 2 written, versions 1 and 2 read. */

#include <string.h>

#include "tk_internal.h"
#include "tk_test.h"

static void check_round_trip(int64_t issued_at_ms, int64_t key_generation, int64_t tag, int64_t host_id)
{
    tk_ticket_stamp stamp = {issued_at_ms, key_generation, tag, host_id};
    unsigned char wire[TK_STAMP_WIRE_LEN];
    tk_stamp_encode(&stamp, wire);
    tk_ticket_stamp decoded;
    memset(&decoded, 0x5a, sizeof(decoded));
    CHECK_EQ(tk_stamp_decode(wire, sizeof(wire), &decoded), 1);
    CHECK_EQ(decoded.issued_at_ms, issued_at_ms);
    CHECK_EQ(decoded.key_generation, key_generation);
    CHECK_EQ(decoded.tag, tag);
    CHECK_EQ(decoded.host_id, host_id);
}

static void test_round_trip(void)
{
    check_round_trip(0, 0, 0, 0);
    check_round_trip(1700000000123, 42, 7, INT64_C(0x1234567890abcdef));
    check_round_trip(-1, -2, -3, -4);
    check_round_trip(-1700000000123, INT64_MIN, INT64_MAX, INT64_MIN);
    check_round_trip(INT64_MAX, INT64_MIN + 1, -1, INT64_MAX);
}

/* The stamp travels to other nodes inside tickets: the layout is fixed, whatever the host's byte order. */
static void test_layout(void)
{
    tk_ticket_stamp stamp = {INT64_C(0x0102030405060708), -2, INT64_C(0x7f000000000000ff), INT64_C(0x1122334455667788)};
    unsigned char wire[TK_STAMP_WIRE_LEN];
    tk_stamp_encode(&stamp, wire);
    static const unsigned char expected[TK_STAMP_WIRE_LEN] = {
        0x02,                                           /* version */
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* issued_at_ms, big-endian */
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, /* key_generation, two's complement */
        0x7f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, /* tag */
        0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, /* host_id */
    };
    CHECK(memcmp(wire, expected, sizeof(expected)) == 0);
}

/* Tickets sealed by a shim of API version 2 carry version 1 stamps; they still read, bound to no host. */
static void test_reads_version_1(void)
{
    static const unsigned char v1[TK_STAMP_WIRE_V1_LEN] = {
        0x01,
        0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x7b, /* 1700000000123 */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    };
    tk_ticket_stamp decoded;
    memset(&decoded, 0x5a, sizeof(decoded));
    CHECK_EQ(tk_stamp_decode(v1, sizeof(v1), &decoded), 1);
    CHECK_EQ(decoded.issued_at_ms, 1700000000123);
    CHECK_EQ(decoded.key_generation, 5);
    CHECK_EQ(decoded.tag, -1);
    CHECK_EQ(decoded.host_id, 0);
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

/* Each version has exactly one length: a version 2 stamp cut to version 1's length, or a version 1 byte in front
 * of version 2's length, is refused. */
static void test_rejects_wrong_length(void)
{
    unsigned char wire[TK_STAMP_WIRE_LEN + 1];
    tk_ticket_stamp stamp = {1, 2, 3, 4};
    tk_stamp_encode(&stamp, wire);
    wire[TK_STAMP_WIRE_LEN] = 0;
    check_rejected(wire, 0);
    check_rejected(wire, 1);
    check_rejected(wire, TK_STAMP_WIRE_V1_LEN);
    check_rejected(wire, TK_STAMP_WIRE_LEN - 1);
    check_rejected(wire, TK_STAMP_WIRE_LEN + 1);
    check_rejected(wire, SIZE_MAX);
    wire[0] = 1;
    check_rejected(wire, TK_STAMP_WIRE_LEN);
    check_rejected(wire, TK_STAMP_WIRE_V1_LEN - 1);
    check_rejected(wire, TK_STAMP_WIRE_V1_LEN + 1);
}

static void test_rejects_wrong_version(void)
{
    unsigned char wire[TK_STAMP_WIRE_LEN];
    tk_ticket_stamp stamp = {1, 2, 3, 4};
    static const unsigned char versions[] = {0x00, 0x03, 0x7f, 0x80, 0xff};
    for (size_t i = 0; i < sizeof(versions); i++) {
        tk_stamp_encode(&stamp, wire);
        wire[0] = versions[i];
        check_rejected(wire, sizeof(wire));
        check_rejected(wire, TK_STAMP_WIRE_V1_LEN);
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
    TK_RUN(test_reads_version_1);
    TK_RUN(test_rejects_wrong_length);
    TK_RUN(test_rejects_wrong_version);
    TK_RUN(test_rejects_null);
    return 0;
}
