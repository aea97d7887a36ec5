/* test_methods.c: tk_attach refuses a context that is not one of the linked libssl's (tk_methods.c) before it
 * touches it beyond its method pointer: fake contexts (all zero, and every word pointing somewhere else) and, where
 * the build found one, a real context of another libssl loaded beside this one (Debian 11's OpenSSL 1.1.1, the way
 * a process may carry netty-tcnative's or another library's libssl). Contexts of this libssl's methods attach.
 *
 * Usage: test_methods [LIBSSL]: with LIBSSL, only the real foreign context, made by that library; it exits 77
 * (skipped, for CTest) when the file is not there. */

#include <dlfcn.h>
#include <string.h>

#include <openssl/ssl.h>

#include "ticketkeeper.h"
#include "tk_test.h"
#include "tk_test_upcalls.h"

enum { FAKE_CONTEXT_LEN = 4096, SKIPPED = 77 };

static tk_handle *new_handle(void)
{
    tk_handle *handle = NULL;
    CHECK_EQ(tk_handle_new(&tk_test_no_ticket_upcalls, NULL, &handle), TK_OK);
    return handle;
}

/* Refused, and not a byte of it written. */
static void check_refused_untouched(tk_handle *handle, unsigned char *fake)
{
    static unsigned char before[FAKE_CONTEXT_LEN];
    memcpy(before, fake, FAKE_CONTEXT_LEN);
    CHECK_EQ(tk_attach(handle, fake, 1), TK_ERR_FOREIGN_CONTEXT);
    CHECK(memcmp(before, fake, FAKE_CONTEXT_LEN) == 0);
    CHECK_EQ(tk_context_state(handle, 1), TK_ERR_NOT_ATTACHED);
}

static void test_fake_contexts(void)
{
    tk_handle *handle = new_handle();
    static _Alignas(16) unsigned char fake[FAKE_CONTEXT_LEN];
    memset(fake, 0, sizeof(fake));
    check_refused_untouched(handle, fake);

    /* Every pointer-sized word points at something that is no method table, wherever a libssl keeps its method. */
    static const char elsewhere[64] = "not an SSL_METHOD";
    const void *pointer = elsewhere;
    for (size_t offset = 0; offset + sizeof(pointer) <= sizeof(fake); offset += sizeof(pointer)) {
        memcpy(fake + offset, &pointer, sizeof(pointer));
    }
    check_refused_untouched(handle, fake);
    CHECK(strstr(tk_result_string(TK_ERR_FOREIGN_CONTEXT), "BoringSSL") != NULL);
    tk_close(handle);
}

/* Contexts of this libssl attach, whatever method made them. */
static void test_own_contexts(void)
{
    tk_handle *handle = new_handle();
    const SSL_METHOD *methods[] = {TLS_method(), TLS_server_method(), TLS_client_method(), DTLS_server_method()};
    SSL_CTX *contexts[sizeof(methods) / sizeof(methods[0])];
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        contexts[i] = SSL_CTX_new(methods[i]);
        CHECK(contexts[i] != NULL);
        CHECK_EQ(tk_attach(handle, contexts[i], (int64_t)i), TK_OK);
    }
    tk_close(handle);
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        SSL_CTX_free(contexts[i]);
    }
}

typedef void *(*ctx_new_fn)(const void *method);
typedef const void *(*method_fn)(void);
typedef void (*ctx_free_fn)(void *ctx);

/* A context made by another libssl, loaded with RTLD_LOCAL so that its symbols stay its own. */
static int test_other_libssl(const char *path)
{
    /* Its libcrypto first, from beside it: the loader then resolves libssl's need for it by its soname. */
    char crypto[4096];
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash == NULL ? 0 : (size_t)(slash - path + 1);
    const char *base = path + dir_len;
    CHECK(strncmp(base, "libssl", 6) == 0 && dir_len + strlen(base) + 3 < sizeof(crypto));
    snprintf(crypto, sizeof(crypto), "%.*slibcrypto%s", (int)dir_len, path, base + 6);
    void *crypto_library = dlopen(crypto, RTLD_NOW | RTLD_LOCAL);
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        printf("skipped: cannot load %s (%s)\n", path, dlerror());
        return SKIPPED;
    }
    ctx_new_fn ctx_new = NULL;
    method_fn server_method = NULL;
    ctx_free_fn ctx_free = NULL;
    /* Object to function pointer through memcpy: ISO C has no cast between them. */
    void *symbol = dlsym(library, "SSL_CTX_new");
    CHECK(symbol != NULL);
    memcpy(&ctx_new, &symbol, sizeof(symbol));
    symbol = dlsym(library, "TLS_server_method");
    CHECK(symbol != NULL);
    memcpy(&server_method, &symbol, sizeof(symbol));
    symbol = dlsym(library, "SSL_CTX_free");
    CHECK(symbol != NULL);
    memcpy(&ctx_free, &symbol, sizeof(symbol));

    void *foreign = ctx_new(server_method());
    CHECK(foreign != NULL);
    tk_handle *handle = new_handle();
    CHECK_EQ(tk_attach(handle, foreign, 1), TK_ERR_FOREIGN_CONTEXT);
    CHECK_EQ(tk_context_state(handle, 1), TK_ERR_NOT_ATTACHED);
    tk_close(handle);
    ctx_free(foreign);
    dlclose(library);
    if (crypto_library != NULL) {
        dlclose(crypto_library);
    }
    printf("ok test_other_libssl (%s)\n", path);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        return test_other_libssl(argv[1]);
    }
    TK_RUN(test_fake_contexts);
    TK_RUN(test_own_contexts);
    return 0;
}
