/* tk_thread.c: the one call the shim needs from the operating system's scheduler, kept out of the portable files
 * so that they compile on Windows as they do on POSIX systems. */

#include "tk_internal.h"

#if defined(_WIN32)

#include <windows.h>

void tk_thread_yield(void)
{
    SwitchToThread();
}

#else

#include <sched.h>

void tk_thread_yield(void)
{
    sched_yield();
}

#endif
