/* test_exports.c: the shared library exports the TK_EXPORT functions of ticketkeeper.h and nothing else of ours.
 * The library is opened at run time from TK_LIBRARY_PATH, which the build defines. */

#include <dlfcn.h>

#include "tk_test.h"

static const char *const PUBLIC_SYMBOLS[] = {
    "tk_api_version",       "tk_result_string",          "tk_handle_new",          "tk_attach",
    "tk_detach",            "tk_publish_keys",           "tk_get_stats",           "tk_close",
    "tk_set_session_id_context", "tk_nginx_session_id_context", "tk_cache_attach",  "tk_cache_get_stats",
    "tk_cache_add_session", "tk_client_cache_install",   "tk_client_tag",          "tk_client_offer",
    "tk_session_to_pem",    "tk_session_from_pem",       "tk_context_state",       "tk_context_findings",
    "tk_early_data_attach", "tk_early_data_status",
};

/* The JNI bridge's functions, which the JVM looks up by these names, where the build has the bridge (TK_JNI). */
static const char *const JNI_SYMBOLS[] = {"JNI_OnLoad", "JNI_OnUnload", "Java_io_ticketkeeper_jna_JniUpcalls_bind",
                                          "Java_io_ticketkeeper_jna_JniUpcalls_hold",
                                          "Java_io_ticketkeeper_jna_JniUpcalls_drop"};

static const char *const INTERNAL_SYMBOLS[] = {
    "tk_epoch_enter",      "tk_epoch_exit",       "tk_epoch_synchronize", "tk_key_table_new",
    "tk_key_table_find",   "tk_key_table_free",   "tk_context_of",        "tk_context_acquire",   "tk_context_held",
    "tk_call_begin",       "tk_call_end",         "tk_tickets_register", "tk_crypto_new",        "tk_crypto_register",
    "tk_session_for_id",   "tk_stamp_encode",     "tk_stamp_decode",      "tk_handle_release",
    "tk_thread_yield",     "tk_jni_upcalls",      "tk_jni_seal",          "tk_jni_env",
};

static void *open_library(void)
{
    void *library = dlopen(TK_LIBRARY_PATH, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        fprintf(stderr, "dlopen(%s): %s\n", TK_LIBRARY_PATH, dlerror());
    }
    CHECK(library != NULL);
    return library;
}

static void test_public_symbols_exported(void)
{
    void *library = open_library();
    for (size_t i = 0; i < sizeof(PUBLIC_SYMBOLS) / sizeof(PUBLIC_SYMBOLS[0]); i++) {
        if (dlsym(library, PUBLIC_SYMBOLS[i]) == NULL) {
            fprintf(stderr, "not exported: %s\n", PUBLIC_SYMBOLS[i]);
        }
        CHECK(dlsym(library, PUBLIC_SYMBOLS[i]) != NULL);
    }
    CHECK_EQ(dlclose(library), 0);
}

static void test_jni_symbols_exported_with_the_bridge(void)
{
    void *library = open_library();
    for (size_t i = 0; i < sizeof(JNI_SYMBOLS) / sizeof(JNI_SYMBOLS[0]); i++) {
        int exported = dlsym(library, JNI_SYMBOLS[i]) != NULL;
        if (exported != TK_JNI) {
            fprintf(stderr, "%s: exported %d, but the build has%s the JNI bridge\n", JNI_SYMBOLS[i], exported,
                    TK_JNI ? "" : " no");
        }
        CHECK_EQ(exported, TK_JNI);
    }
    CHECK_EQ(dlclose(library), 0);
}

static void test_internal_symbols_hidden(void)
{
    void *library = open_library();
    for (size_t i = 0; i < sizeof(INTERNAL_SYMBOLS) / sizeof(INTERNAL_SYMBOLS[0]); i++) {
        if (dlsym(library, INTERNAL_SYMBOLS[i]) != NULL) {
            fprintf(stderr, "exported but internal: %s\n", INTERNAL_SYMBOLS[i]);
        }
        CHECK(dlsym(library, INTERNAL_SYMBOLS[i]) == NULL);
    }
    CHECK_EQ(dlclose(library), 0);
}

int main(void)
{
    TK_RUN(test_public_symbols_exported);
    TK_RUN(test_jni_symbols_exported_with_the_bridge);
    TK_RUN(test_internal_symbols_hidden);
    return 0;
}
