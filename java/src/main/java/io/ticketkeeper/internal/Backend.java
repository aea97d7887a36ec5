package io.ticketkeeper.internal;

/** A way to reach the native shim: Panama FFM on Java 23+, JNA on older runtimes. */
public interface Backend {
    /** "ffm" or "jna". */
    String name();

    /**
     * How the ticket upcalls reach Java: "ffm" (Panama upcall stubs), "jni" (the shim's JNI bridge, on the JNA
     * backend) or "jna" (JNA callbacks).
     */
    default String upcalls() {
        return name();
    }

    /**
     * Makes a native handle whose ticket upcalls go to {@code decider} and, when {@code sessionCache} is not null,
     * whose session cache upcalls go to it; {@code keys} reads key material at publication. Contexts are then
     * attached to the installation.
     */
    Installation install(TicketDecider decider, SessionCacheBridge sessionCache, KeyReader keys);

    /** The shim's session helpers that need no handle (client cache, PEM). */
    SessionNatives sessionNatives();

    /** The ticket upcall stubs this backend would install for {@code decider}, for benchmarks. */
    UpcallStubs upcallStubs(TicketDecider decider);
}
