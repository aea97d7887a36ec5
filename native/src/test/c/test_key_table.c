/* test_key_table.c: building and searching key tables (tk_key_table.c). */

#include <string.h>

#include <openssl/rand.h>

#include "tk_internal.h"
#include "tk_test.h"

/* make_key fills |key| with a valid key whose name and secrets derive from |seed|. */
static void make_key(tk_key *key, uint32_t seed, uint32_t hmac_len, uint32_t aes_len)
{
    memset(key, 0, sizeof(*key));
    for (size_t i = 0; i < TK_KEY_NAME_LEN; i++) {
        key->name[i] = (uint8_t)((seed >> (8 * (i % 4))) ^ (i * 37));
    }
    memset(key->hmac_key, (int)(0x11 + seed % 200), sizeof(key->hmac_key));
    memset(key->aes_key, (int)(0x22 + seed % 200), sizeof(key->aes_key));
    key->hmac_key_len = hmac_len;
    key->aes_key_len = aes_len;
}

static void make_keys(tk_key *keys, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        make_key(&keys[i], (uint32_t)(i + 1), 32, 32);
    }
}

static int new_table_result(const tk_key *keys, size_t count)
{
    tk_key_table *table = NULL;
    int result = tk_key_table_new(keys, count, 1, &table);
    CHECK((result == TK_OK) == (table != NULL));
    tk_key_table_free(table);
    return result;
}

static void test_finds_every_key(void)
{
    tk_key keys[8];
    make_keys(keys, 8);
    tk_key_table *table = NULL;
    CHECK_EQ(tk_key_table_new(keys, 8, 42, &table), TK_OK);
    CHECK_EQ(table->generation, 42);
    CHECK_EQ(table->count, 8);
    for (int32_t slot = 0; slot < 8; slot++) {
        CHECK_EQ(tk_key_table_find(table, keys[slot].name), slot);
        CHECK(memcmp(&table->keys[slot], &keys[slot], sizeof(keys[slot])) == 0);
    }
    tk_key_table_free(table);
}

static void test_unknown_name(void)
{
    tk_key keys[4];
    make_keys(keys, 4);
    tk_key_table *table = NULL;
    CHECK_EQ(tk_key_table_new(keys, 4, 1, &table), TK_OK);

    unsigned char unknown[TK_KEY_NAME_LEN];
    memcpy(unknown, keys[2].name, sizeof(unknown));
    unknown[TK_KEY_NAME_LEN - 1] ^= 0x80; /* same hash bucket as a real key, different name */
    CHECK_EQ(tk_key_table_find(table, unknown), -1);
    memset(unknown, 0, sizeof(unknown));
    CHECK_EQ(tk_key_table_find(table, unknown), -1);
    CHECK_EQ(tk_key_table_find(NULL, keys[0].name), -1);
    tk_key_table_free(table);
}

static void test_table_copies_the_keys(void)
{
    tk_key keys[2];
    make_keys(keys, 2);
    tk_key_table *table = NULL;
    CHECK_EQ(tk_key_table_new(keys, 2, 1, &table), TK_OK);
    unsigned char name[TK_KEY_NAME_LEN];
    memcpy(name, keys[1].name, sizeof(name));
    memset(keys, 0xee, sizeof(keys));
    CHECK_EQ(tk_key_table_find(table, name), 1);
    CHECK_EQ(table->keys[1].hmac_key[0], 0x11 + 2);
    tk_key_table_free(table);
}

static void test_duplicate_names(void)
{
    tk_key keys[5];
    make_keys(keys, 5);
    memcpy(keys[3].name, keys[1].name, TK_KEY_NAME_LEN);
    CHECK_EQ(new_table_result(keys, 5), TK_ERR_DUPLICATE_KEY);

    make_keys(keys, 2);
    keys[1] = keys[0];
    CHECK_EQ(new_table_result(keys, 2), TK_ERR_DUPLICATE_KEY);
}

static void test_all_zero_secrets(void)
{
    tk_key key;
    make_key(&key, 1, 32, 32);
    memset(key.hmac_key, 0, sizeof(key.hmac_key));
    CHECK_EQ(new_table_result(&key, 1), TK_ERR_BAD_KEY);

    make_key(&key, 1, 32, 32);
    memset(key.aes_key, 0, sizeof(key.aes_key));
    CHECK_EQ(new_table_result(&key, 1), TK_ERR_BAD_KEY);

    /* Only the used bytes count: a 16-byte secret of zeros is all zero whatever follows it. */
    make_key(&key, 1, 16, 16);
    memset(key.aes_key, 0, 16);
    CHECK_EQ(new_table_result(&key, 1), TK_ERR_BAD_KEY);
    make_key(&key, 1, 16, 16);
    memset(key.hmac_key, 0, 16);
    CHECK_EQ(new_table_result(&key, 1), TK_ERR_BAD_KEY);

    /* A single non-zero byte is enough. */
    make_key(&key, 1, 32, 32);
    memset(key.hmac_key, 0, sizeof(key.hmac_key));
    key.hmac_key[31] = 1;
    CHECK_EQ(new_table_result(&key, 1), TK_OK);
}

static void test_bad_lengths(void)
{
    static const uint32_t bad[] = {0, 1, 15, 17, 24, 31, 33, 48, 64, UINT32_MAX};
    tk_key key;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        make_key(&key, 1, bad[i], 32);
        CHECK_EQ(new_table_result(&key, 1), TK_ERR_BAD_KEY);
        make_key(&key, 1, 32, bad[i]);
        CHECK_EQ(new_table_result(&key, 1), TK_ERR_BAD_KEY);
    }

    /* A bad key anywhere fails the whole table. */
    tk_key keys[3];
    make_keys(keys, 3);
    keys[2].aes_key_len = 24;
    CHECK_EQ(new_table_result(keys, 3), TK_ERR_BAD_KEY);
}

static void test_supported_lengths(void)
{
    static const uint32_t lengths[] = {16, 32};
    tk_key keys[4];
    size_t count = 0;
    for (size_t h = 0; h < 2; h++) {
        for (size_t a = 0; a < 2; a++) {
            make_key(&keys[count], (uint32_t)(count + 1), lengths[h], lengths[a]);
            count++;
        }
    }
    tk_key_table *table = NULL;
    CHECK_EQ(tk_key_table_new(keys, count, 1, &table), TK_OK);
    for (size_t slot = 0; slot < count; slot++) {
        CHECK_EQ(tk_key_table_find(table, keys[slot].name), slot);
    }
    tk_key_table_free(table);
}

static void test_too_many_keys(void)
{
    /* calloc leaves the pages untouched: the count must be refused before any key is read. */
    tk_key *keys = calloc(TK_MAX_KEYS + 1, sizeof(*keys));
    CHECK(keys != NULL);
    tk_key_table *table = NULL;
    CHECK_EQ(tk_key_table_new(keys, TK_MAX_KEYS + 1, 1, &table), TK_ERR_TOO_MANY_KEYS);
    CHECK(table == NULL);
    CHECK_EQ(tk_key_table_new(keys, SIZE_MAX, 1, &table), TK_ERR_TOO_MANY_KEYS);
    CHECK(table == NULL);
    free(keys);
}

static void test_null_arguments(void)
{
    tk_key key;
    make_key(&key, 1, 32, 32);
    tk_key_table *table = NULL;
    CHECK_EQ(tk_key_table_new(&key, 1, 1, NULL), TK_ERR_NULL);
    CHECK_EQ(tk_key_table_new(NULL, 1, 1, &table), TK_ERR_NULL);
    CHECK(table == NULL);
    tk_key_table_free(NULL);
}

static void test_empty_table(void)
{
    tk_key_table *table = NULL;
    CHECK_EQ(tk_key_table_new(NULL, 0, -3, &table), TK_OK);
    CHECK_EQ(table->count, 0);
    CHECK_EQ(table->generation, -3);
    tk_key key;
    make_key(&key, 1, 32, 32);
    CHECK_EQ(tk_key_table_find(table, key.name), -1);
    tk_key_table_free(table);

    CHECK_EQ(tk_key_table_new(&key, 0, 1, &table), TK_OK);
    CHECK_EQ(tk_key_table_find(table, key.name), -1);
    tk_key_table_free(table);
}

static void test_ten_thousand_random_keys(void)
{
    enum { COUNT = 10000 };
    tk_key *keys = calloc(COUNT, sizeof(*keys));
    CHECK(keys != NULL);
    for (size_t i = 0; i < COUNT; i++) {
        make_key(&keys[i], (uint32_t)i, 32, 16);
        CHECK_EQ(RAND_bytes(keys[i].name, TK_KEY_NAME_LEN), 1);
    }
    tk_key_table *table = NULL;
    CHECK_EQ(tk_key_table_new(keys, COUNT, 9, &table), TK_OK);
    for (size_t slot = 0; slot < COUNT; slot++) {
        CHECK_EQ(tk_key_table_find(table, keys[slot].name), slot);
    }
    unsigned char unknown[TK_KEY_NAME_LEN];
    for (int i = 0; i < 1000; i++) {
        CHECK_EQ(RAND_bytes(unknown, sizeof(unknown)), 1);
        CHECK_EQ(tk_key_table_find(table, unknown), -1);
    }
    tk_key_table_free(table);
    free(keys);
}

/* Names that share the eight bytes the hash reads all land in one probe chain; lookups must stay exact. */
static void test_names_sharing_a_prefix(void)
{
    enum { COUNT = 2000 };
    tk_key *keys = calloc(COUNT, sizeof(*keys));
    CHECK(keys != NULL);
    for (size_t i = 0; i < COUNT; i++) {
        make_key(&keys[i], 7, 32, 32);
        keys[i].name[14] = (uint8_t)(i >> 8);
        keys[i].name[15] = (uint8_t)i;
    }
    tk_key_table *table = NULL;
    CHECK_EQ(tk_key_table_new(keys, COUNT, 1, &table), TK_OK);
    for (size_t slot = 0; slot < COUNT; slot++) {
        CHECK_EQ(tk_key_table_find(table, keys[slot].name), slot);
    }
    unsigned char unknown[TK_KEY_NAME_LEN];
    memcpy(unknown, keys[0].name, sizeof(unknown));
    unknown[13] ^= 1;
    CHECK_EQ(tk_key_table_find(table, unknown), -1);
    tk_key_table_free(table);

    memcpy(keys[COUNT - 1].name, keys[COUNT / 2].name, TK_KEY_NAME_LEN);
    CHECK_EQ(new_table_result(keys, COUNT), TK_ERR_DUPLICATE_KEY);
    free(keys);
}

int main(void)
{
    TK_RUN(test_finds_every_key);
    TK_RUN(test_unknown_name);
    TK_RUN(test_table_copies_the_keys);
    TK_RUN(test_duplicate_names);
    TK_RUN(test_all_zero_secrets);
    TK_RUN(test_bad_lengths);
    TK_RUN(test_supported_lengths);
    TK_RUN(test_too_many_keys);
    TK_RUN(test_null_arguments);
    TK_RUN(test_empty_table);
    TK_RUN(test_ten_thousand_random_keys);
    TK_RUN(test_names_sharing_a_prefix);
    return 0;
}
