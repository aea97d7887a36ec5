/* tk_key_table.c: validated, immutable key tables with an open-addressing index over the key names, so that a
 * lookup costs the same for ten keys and for a million. */

#include <string.h>

#include <openssl/crypto.h>

#include "tk_internal.h"

static int tk_is_all_zero(const uint8_t *bytes, size_t len)
{
    uint8_t any = 0;
    for (size_t i = 0; i < len; i++) {
        any |= bytes[i];
    }
    return any == 0;
}

static TK_MUST_CHECK int tk_key_check(const tk_key *key)
{
    TK_ENSURE(key->hmac_key_len == 16 || key->hmac_key_len == 32, TK_ERR_BAD_KEY);
    TK_ENSURE(key->aes_key_len == 16 || key->aes_key_len == 32, TK_ERR_BAD_KEY);
    TK_ENSURE(!tk_is_all_zero(key->hmac_key, key->hmac_key_len), TK_ERR_BAD_KEY);
    TK_ENSURE(!tk_is_all_zero(key->aes_key, key->aes_key_len), TK_ERR_BAD_KEY);
    return TK_OK;
}

/* Both halves of the name are mixed, so that names which share a prefix (a counter at the end, say) still spread.
 * A peer can only ask for names, never add them, so no keyed hash is needed. */
static size_t tk_name_hash(const unsigned char name[TK_KEY_NAME_LEN])
{
    uint64_t head;
    uint64_t tail;
    memcpy(&head, name, sizeof(head));
    memcpy(&tail, name + sizeof(head), sizeof(tail));
    uint64_t mixed = (head ^ (tail * UINT64_C(0xC2B2AE3D27D4EB4F))) * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(mixed ^ (mixed >> 32));
}

static size_t tk_index_capacity(size_t count)
{
    size_t capacity = 2;
    while (capacity < 2 * count) {
        capacity <<= 1;
    }
    return capacity;
}

static TK_MUST_CHECK int tk_index_insert(tk_key_table *table, uint32_t slot)
{
    const unsigned char *name = table->keys[slot].name;
    for (size_t bucket = tk_name_hash(name) & table->index_mask;; bucket = (bucket + 1) & table->index_mask) {
        uint32_t taken = table->index[bucket];
        if (taken == 0) {
            table->index[bucket] = slot + 1;
            return TK_OK;
        }
        TK_ENSURE(memcmp(table->keys[taken - 1].name, name, TK_KEY_NAME_LEN) != 0, TK_ERR_DUPLICATE_KEY);
    }
}

static TK_MUST_CHECK int tk_key_table_fill(tk_key_table *table, const tk_key *keys, size_t count)
{
    for (size_t slot = 0; slot < count; slot++) {
        TK_GUARD(tk_key_check(&keys[slot]));
        table->keys[slot] = keys[slot];
        TK_GUARD(tk_index_insert(table, (uint32_t)slot));
    }
    return TK_OK;
}

int tk_key_table_new(const tk_key *keys, size_t count, int64_t generation, tk_key_table **out_table)
{
    TK_ENSURE(out_table != NULL, TK_ERR_NULL);
    TK_ENSURE(keys != NULL || count == 0, TK_ERR_NULL);
    TK_ENSURE(count <= TK_MAX_KEYS, TK_ERR_TOO_MANY_KEYS);

    tk_key_table *table = OPENSSL_zalloc(sizeof(*table));
    TK_ENSURE(table != NULL, TK_ERR_NOMEM);
    table->generation = generation;
    table->count = count;
    size_t capacity = tk_index_capacity(count);
    table->index_mask = capacity - 1;
    table->index = OPENSSL_zalloc(capacity * sizeof(*table->index));
    table->keys = OPENSSL_zalloc((count == 0 ? 1 : count) * sizeof(*table->keys));
    if (table->index == NULL || table->keys == NULL) {
        tk_key_table_free(table);
        return TK_ERR_NOMEM;
    }
    int result = tk_key_table_fill(table, keys, count);
    if (result != TK_OK) {
        tk_key_table_free(table);
        return result;
    }
    *out_table = table;
    return TK_OK;
}

int32_t tk_key_table_find(const tk_key_table *table, const unsigned char name[TK_KEY_NAME_LEN])
{
    if (table == NULL) {
        return -1;
    }
    for (size_t bucket = tk_name_hash(name) & table->index_mask;; bucket = (bucket + 1) & table->index_mask) {
        uint32_t taken = table->index[bucket];
        if (taken == 0) {
            return -1;
        }
        if (CRYPTO_memcmp(table->keys[taken - 1].name, name, TK_KEY_NAME_LEN) == 0) {
            return (int32_t)(taken - 1);
        }
    }
}

void tk_key_table_free(tk_key_table *table)
{
    if (table == NULL) {
        return;
    }
    size_t key_count = table->count == 0 ? 1 : table->count;
    OPENSSL_clear_free(table->keys, key_count * sizeof(*table->keys));
    OPENSSL_free(table->index);
    OPENSSL_free(table);
}
