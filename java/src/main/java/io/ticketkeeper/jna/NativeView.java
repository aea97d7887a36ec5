package io.ticketkeeper.jna;

import com.sun.jna.Pointer;

/**
 * A JNA {@link Pointer} that is moved to each struct an upcall receives instead of made anew: one per thread, so
 * reading the shim's structs allocates nothing on the heap. Valid only during the upcall that moved it.
 */
final class NativeView extends Pointer {
    private static final ThreadLocal<NativeView> VIEWS = ThreadLocal.withInitial(NativeView::new);

    private NativeView() {
        super(0);
    }

    /** This thread's view, moved to {@code address}. */
    static NativeView at(long address) {
        NativeView view = VIEWS.get();
        view.peer = address;
        return view;
    }
}
