/* tk_jni.c: the ticket upcalls as JNI calls, for the JNA backend on Java 17 to 22. JNA's callback dispatch costs
 * about 0.7 us and 100-170 bytes of Java heap per upcall; a JNI call of a method with primitive arguments costs a
 * small fraction of that and allocates nothing. The JNA backend binds io.ticketkeeper.jna.JniUpcalls (bind below)
 * to the class of its upcall body (io.ticketkeeper.internal.TicketUpcalls) and gives every handle a tk_upcalls
 * with the functions below and, as |user|, a JNI global reference to that handle's upcall body (hold below): each
 * function calls that object's method with the arguments as they are (pointers as jlong). The reference is
 * deleted (drop below) once tk_close has returned, so a handle its application dropped without closing keeps
 * answering.
 *
 * The natives are found by their exported names (Java_io_ticketkeeper_jna_JniUpcalls_*), so a copy of the library
 * whose classes are relocated (shaded) finds no bridge and takes JNA's callbacks instead (README: shading).
 *
 * Built only where the JDK's jni_md.h for the platform is at hand (CMakeLists.txt); POSIX only (the key that
 * detaches native threads at their exit). */

#define _POSIX_C_SOURCE 200809L

#include <jni.h>
#include <pthread.h>
#include <stdint.h>

#include "ticketkeeper.h"

/* The Linux shims load on glibc 2.17 (bin/platform-tests checks it). glibc 2.34 moved the pthread key functions
 * into libc under a new symbol version, which a build on a newer glibc would require; bind the versions that every
 * glibc since 2.17 has instead. */
#if defined(__GLIBC__) && defined(__x86_64__)
__asm__(".symver pthread_key_create,pthread_key_create@GLIBC_2.2.5");
__asm__(".symver pthread_setspecific,pthread_setspecific@GLIBC_2.2.5");
__asm__(".symver pthread_key_delete,pthread_key_delete@GLIBC_2.2.5");
#elif defined(__GLIBC__) && defined(__aarch64__)
__asm__(".symver pthread_key_create,pthread_key_create@GLIBC_2.17");
__asm__(".symver pthread_setspecific,pthread_setspecific@GLIBC_2.17");
__asm__(".symver pthread_key_delete,pthread_key_delete@GLIBC_2.17");
#endif

#define TK_JNI_VERSION JNI_VERSION_1_8

static JavaVM *tk_jni_vm;
/* The upcall body's methods. No reference to its class is kept: the ids stay valid while the class is loaded, which
 * is as long as this library is (both belong to one class loader, and every handle's global reference to a body
 * keeps the class loaded), while a global reference to the class would keep that loader, and with it the library,
 * from ever being unloaded: JNI_OnUnload would never run. */
static jmethodID tk_jni_seal_method;
static jmethodID tk_jni_open_method;
static jmethodID tk_jni_stamp_method;
static jmethodID tk_jni_session_method;
static jmethodID tk_jni_early_data_method;
/* Set on threads this file attached to the JVM: its destructor detaches them when they end. */
static pthread_key_t tk_jni_attached;

static void tk_jni_detach(void *attached)
{
    (void)attached;
    (*tk_jni_vm)->DetachCurrentThread(tk_jni_vm);
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved)
{
    (void)reserved;
    if (pthread_key_create(&tk_jni_attached, tk_jni_detach) != 0) {
        return JNI_ERR;
    }
    tk_jni_vm = vm;
    return TK_JNI_VERSION;
}

/* Runs when the class loader that loaded the library is collected: no handle of that loader is left (each holds a
 * global reference to its body until it is closed), so no upcall can come, and the bridge holds no other reference.
 * It releases the key. Threads this file attached stay attached until they end (the deleted key's destructor no
 * longer runs for them). */
JNIEXPORT void JNICALL JNI_OnUnload(JavaVM *vm, void *reserved)
{
    (void)vm;
    (void)reserved;
    pthread_key_delete(tk_jni_attached);
}

/* A thread the JVM has never seen is attached once, as a daemon (it must not keep the JVM from exiting), and stays
 * attached until it ends: attaching per upcall would cost every handshake a Java thread object. */
static JNIEnv *tk_jni_attach(void)
{
    JNIEnv *env = NULL;
    JavaVMAttachArgs args = {.version = TK_JNI_VERSION, .name = "ticketkeeper-upcall", .group = NULL};
    if ((*tk_jni_vm)->AttachCurrentThreadAsDaemon(tk_jni_vm, (void **)&env, &args) != JNI_OK) {
        return NULL;
    }
    if (pthread_setspecific(tk_jni_attached, env) != 0) {
        (*tk_jni_vm)->DetachCurrentThread(tk_jni_vm);
        return NULL;
    }
    return env;
}

/* The thread's JNIEnv for an upcall on |user|, or NULL (then the upcall gives the safe outcome). */
static JNIEnv *tk_jni_env(void *user)
{
    if (user == NULL) {
        return NULL;
    }
    JNIEnv *env = NULL;
    jint got = (*tk_jni_vm)->GetEnv(tk_jni_vm, (void **)&env, TK_JNI_VERSION);
    if (got == JNI_OK) {
        return env;
    }
    if (got != JNI_EDETACHED) {
        return NULL;
    }
    return tk_jni_attach();
}

/* The Java methods catch everything; an exception here is a defect, which must still not unwind into OpenSSL. */
static int tk_jni_failed(JNIEnv *env)
{
    if (!(*env)->ExceptionCheck(env)) {
        return 0;
    }
    (*env)->ExceptionClear(env);
    return 1;
}

static int32_t tk_jni_seal(void *user, int64_t context_id, int64_t generation, int32_t *out_slot,
                           int64_t *out_lifetime_s)
{
    JNIEnv *env = tk_jni_env(user);
    if (env == NULL) {
        return TK_SEAL_NONE;
    }
    jint sealed = (*env)->CallIntMethod(env, (jobject)user, tk_jni_seal_method, (jlong)context_id, (jlong)generation,
                                        (jlong)(intptr_t)out_slot, (jlong)(intptr_t)out_lifetime_s);
    if (tk_jni_failed(env)) {
        return TK_SEAL_NONE;
    }
    return sealed;
}

static int32_t tk_jni_open(void *user, int64_t context_id, int64_t generation, int32_t slot)
{
    JNIEnv *env = tk_jni_env(user);
    if (env == NULL) {
        return TK_KEY_REJECT;
    }
    jint decision = (*env)->CallIntMethod(env, (jobject)user, tk_jni_open_method, (jlong)context_id,
                                          (jlong)generation, (jint)slot);
    if (tk_jni_failed(env)) {
        return TK_KEY_REJECT;
    }
    return decision;
}

static int32_t tk_jni_stamp(void *user, int64_t context_id, tk_ticket_stamp *out_stamp,
                            uint32_t *out_max_early_data)
{
    JNIEnv *env = tk_jni_env(user);
    if (env == NULL) {
        return TK_STAMP_NONE;
    }
    jint stored = (*env)->CallIntMethod(env, (jobject)user, tk_jni_stamp_method, (jlong)context_id,
                                        (jlong)(intptr_t)out_stamp, (jlong)(intptr_t)out_max_early_data);
    if (tk_jni_failed(env)) {
        return TK_STAMP_NONE;
    }
    return stored;
}

static int32_t tk_jni_session(void *user, const tk_session_view *view)
{
    JNIEnv *env = tk_jni_env(user);
    if (env == NULL) {
        return TK_SESSION_IGNORE_RENEW;
    }
    jint decision = (*env)->CallIntMethod(env, (jobject)user, tk_jni_session_method, (jlong)(intptr_t)view);
    if (tk_jni_failed(env)) {
        return TK_SESSION_IGNORE_RENEW;
    }
    return decision;
}

static int32_t tk_jni_early_data(void *user, const tk_early_data_view *view)
{
    JNIEnv *env = tk_jni_env(user);
    if (env == NULL) {
        return TK_EARLY_DATA_REFUSE;
    }
    jint answer = (*env)->CallIntMethod(env, (jobject)user, tk_jni_early_data_method, (jlong)(intptr_t)view);
    if (tk_jni_failed(env)) {
        return TK_EARLY_DATA_REFUSE;
    }
    return answer;
}

/* The functions every handle on the JNI path uses; each handle's copy carries its own |user|. */
static const tk_upcalls tk_jni_upcalls = {
    .user = NULL,
    .seal = tk_jni_seal,
    .open = tk_jni_open,
    .stamp = tk_jni_stamp,
    .session = tk_jni_session,
    .early_data = tk_jni_early_data,
};

/* JniUpcalls.bind(Class): called once, from JniUpcalls' static initialiser (which the JVM runs on one thread), with
 * the class of the upcall body, whose method ids it keeps. Returns the address of tk_jni_upcalls, whose functions a handle copies, or 0 with
 * a NoSuchMethodError pending when the class lacks an upcall method. */
JNIEXPORT jlong JNICALL Java_io_ticketkeeper_jna_JniUpcalls_bind(JNIEnv *env, jclass type, jclass body)
{
    (void)type;
    tk_jni_seal_method = (*env)->GetMethodID(env, body, "seal", "(JJJJ)I");
    if (tk_jni_seal_method == NULL) {
        return 0;
    }
    tk_jni_open_method = (*env)->GetMethodID(env, body, "open", "(JJI)I");
    if (tk_jni_open_method == NULL) {
        return 0;
    }
    tk_jni_stamp_method = (*env)->GetMethodID(env, body, "stamp", "(JJJ)I");
    if (tk_jni_stamp_method == NULL) {
        return 0;
    }
    tk_jni_session_method = (*env)->GetMethodID(env, body, "session", "(J)I");
    if (tk_jni_session_method == NULL) {
        return 0;
    }
    tk_jni_early_data_method = (*env)->GetMethodID(env, body, "earlyData", "(J)I");
    if (tk_jni_early_data_method == NULL) {
        return 0;
    }
    return (jlong)(intptr_t)&tk_jni_upcalls;
}

/* JniUpcalls.hold(Object): a global reference to a handle's upcall body, its tk_upcalls.user; 0 when the JVM is
 * out of memory. */
JNIEXPORT jlong JNICALL Java_io_ticketkeeper_jna_JniUpcalls_hold(JNIEnv *env, jclass type, jobject body)
{
    (void)type;
    return (jlong)(intptr_t)(*env)->NewGlobalRef(env, body);
}

/* JniUpcalls.drop(long): deletes a reference hold made, once tk_close has returned and no upcall can use it. */
JNIEXPORT void JNICALL Java_io_ticketkeeper_jna_JniUpcalls_drop(JNIEnv *env, jclass type, jlong reference)
{
    (void)type;
    if (reference != 0) {
        (*env)->DeleteGlobalRef(env, (jobject)(intptr_t)reference);
    }
}
